// What the structures (asserted types $classes) of the region $region, or of every region
// when it is null, are tagged with along $rel: 'theme' or 'level'.
MATCH (s:Resource)-[r:theme|level]->(c)
WHERE type(r) = $rel
  AND (s:Forum OR s:Network) AND any(cls IN s.types WHERE cls IN $classes)
  AND ($region IS NULL OR EXISTS { (s)-[:inRegion]->(:Resource {uri: $region}) })
RETURN s.uri AS s, s.validFrom AS vf, s.validUntil AS vu, c.uri AS c, c.prefLabel_fi AS label
