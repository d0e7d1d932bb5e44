// The theme statements of the region $region about each theme of the schemes $schemes,
// or about a theme equivalent to it (exactMatch, either way, chained), never
// a broader one ($cls: the IRI of yhd:ThemeStatement). The notes are read in Python.
MATCH (sc:Resource)
WHERE sc.uri IN $schemes
MATCH (theme:Resource)-[:inScheme]->(sc)
WITH DISTINCT theme
MATCH ANY SHORTEST (t:Resource)((a)-[:exactMatch]-(b))*(theme)
WITH DISTINCT theme, t
MATCH (st:ThemeStatement)-[:aboutTheme]->(t)
WHERE $cls IN st.types
  AND EXISTS { (st)-[:inRegion]->(:Resource {uri: $region}) }
RETURN theme.uri AS theme, properties(st) AS props
