// The theme schemes and the region of each, if any ($cls: the IRI of yhd:ThemeScheme).
MATCH (s:ThemeScheme)
WHERE $cls IN s.types
OPTIONAL MATCH (s)-[:schemeRegion]->(r:Resource)
RETURN s.uri AS s, r.uri AS r
