// Every SKOS link with a theme ($cls: the IRI of yhd:Theme) at one end or both: broader,
// narrower, broadMatch, narrowMatch, exactMatch, closeMatch, relatedMatch, by relationship type
// (the predicate's local name). graph/analyses/record.py walks them (explain).
MATCH (a:Resource)-[r:broader|narrower|broadMatch|narrowMatch|exactMatch|closeMatch|relatedMatch]->(b:Resource)
WHERE ($cls IN coalesce(a.types, []) OR $cls IN coalesce(b.types, []))
  AND NOT a.uri STARTS WITH 'bnode://' AND NOT b.uri STARTS WITH 'bnode://'
RETURN DISTINCT a.uri AS source, type(r) AS relation, b.uri AS target
