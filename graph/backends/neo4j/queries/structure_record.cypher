// Every forum and network (asserted types $classes) of the region $region, or of every region
// when it is null, with each of its themes, on any day and in any status: whether it is only
// planned (status $planned), whether it is one per municipality (perMunicipality true), and its
// validity dates (read in Python).
MATCH (s:Resource)-[:theme]->(t:Resource)
WHERE (s:Forum OR s:Network) AND any(c IN s.types WHERE c IN $classes)
  AND ($region IS NULL OR EXISTS { (s)-[:inRegion]->(:Resource {uri: $region}) })
RETURN DISTINCT s.uri AS s, s.prefLabel_fi AS label, s.types AS types, t.uri AS t,
       EXISTS { (s)-[:status]->(:Resource {uri: $planned}) } AS planned,
       s.perMunicipality AS per, s.validFrom AS vf, s.validUntil AS vu
