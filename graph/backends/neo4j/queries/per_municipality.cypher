// The forums and networks (asserted types $classes) of the region $region, or of every region
// when it is null, that have a theme and a Finnish label and whose perMunicipality is set (true
// is decided in Python: a property may hold a list): structure_record's "one per municipality".
MATCH (s:Resource)
WHERE (s:Forum OR s:Network) AND any(c IN s.types WHERE c IN $classes)
  AND s.perMunicipality IS NOT NULL AND s.prefLabel_fi IS NOT NULL
  AND EXISTS { (s)-[:theme]->(:Resource) }
  AND ($region IS NULL OR EXISTS { (s)-[:inRegion]->(:Resource {uri: $region}) })
RETURN s.uri AS s, s.perMunicipality AS per
