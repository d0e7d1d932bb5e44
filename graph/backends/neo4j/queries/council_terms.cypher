// The council terms ($cls: the IRI of yhd:CouncilTerm), their dates and the notations of
// their kind of council (yhd:councilKind).
MATCH (t:CouncilTerm)
WHERE $cls IN t.types
RETURN t.uri AS t, t.prefLabel_fi AS label, t.validFrom AS vf, t.validUntil AS vu,
       [(t)-[:councilKind]->(k) | k.notation] AS councils
