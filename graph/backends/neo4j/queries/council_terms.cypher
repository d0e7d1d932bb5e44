// The council terms ($cls: the IRI of yhd:CouncilTerm) and their dates.
MATCH (t:CouncilTerm)
WHERE $cls IN t.types
RETURN t.uri AS t, t.prefLabel_fi AS label, t.validFrom AS vf, t.validUntil AS vu
