// The commitments ($cls: the IRI of yhd:Commitment) to pilots: who committed, when, by
// which body's decision, and who is responsible.
MATCH (c:Commitment)-[:pilot]->(p)
WHERE $cls IN c.types
MATCH (c)-[:committer]->(m)
RETURN p.uri AS pilot, m.uri AS m, m.prefLabel_fi AS mlabel, m.types AS types,
       c.decisionDate AS date, [(c)-[:decidingBody]->(b) | b.prefLabel_fi] AS bodies,
       c.section AS section, c.recordNumber AS record,
       [(c)-[:responsiblePost]->(x) | x.prefLabel_fi] AS resps, c.decisionKind AS dkind
