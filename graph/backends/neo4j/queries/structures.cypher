// The structures (forums, statutory negotiations, networks: narrowed by label, decided by
// their asserted types $classes), of the region $region, or of every region when it is null;
// with their regions and whether they are planned (status $planned).
MATCH (s:Resource)
WHERE (s:Forum OR s:Network) AND any(c IN s.types WHERE c IN $classes)
  AND ($region IS NULL OR EXISTS { (s)-[:inRegion]->(:Resource {uri: $region}) })
RETURN s.uri AS s, s.types AS types, s.prefLabel_fi AS label, s.validFrom AS vf,
       s.validUntil AS vu, [(s)-[:inRegion]->(r) | r.uri] AS regions,
       EXISTS { (s)-[:status]->(:Resource {uri: $planned}) } AS planned
