// The structures of the region $region that cover each theme of the schemes $schemes:
// they have the theme itself or one from which coverage flows to it, along
// (broader|broadMatch|^narrowMatch|exactMatch|^exactMatch)*, each step checking its
// direction: upward, or across by equivalence; never down, never along closeMatch or
// relatedMatch (docs/analyses.md). ANY SHORTEST finds each (theme, reached theme) pair once.
// A structure is a forum or network by its asserted types ($classes); planned ones
// (status $planned) cover nothing. Validity dates are compared in Python.
MATCH (sc:Resource)
WHERE sc.uri IN $schemes
MATCH (theme:Resource)-[:inScheme]->(sc)
WITH DISTINCT theme
MATCH ANY SHORTEST (t:Resource)
  ((a)-[r:broader|broadMatch|narrowMatch|exactMatch]-(b)
   WHERE type(r) = 'exactMatch'
      OR (type(r) = 'narrowMatch' AND endNode(r) = a)
      OR (type(r) IN ['broader', 'broadMatch'] AND startNode(r) = a))*
  (theme)
WITH DISTINCT theme, t
MATCH (s:Resource)-[:theme]->(t)
WHERE (s:Forum OR s:Network) AND any(c IN s.types WHERE c IN $classes)
  AND EXISTS { (s)-[:inRegion]->(:Resource {uri: $region}) }
  AND NOT EXISTS { (s)-[:status]->(:Resource {uri: $planned}) }
RETURN DISTINCT theme.uri AS theme, s.uri AS s, s.prefLabel_fi AS label, s.types AS types,
       s.validFrom AS vf, s.validUntil AS vu
