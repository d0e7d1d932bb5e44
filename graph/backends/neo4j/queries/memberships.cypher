// The members, coordinators and conveners of the structures (asserted types $classes) of
// the region $region, or of every region when it is null; with the municipalities
// (asserted type $mun) a member post or unit belongs to, one or two steps up, and the
// dates of each membership record (org:organization the structure, org:member the member).
MATCH (s:Resource)-[r:hasMember|coordinator|convener]->(m)
WHERE (s:Forum OR s:Network) AND any(c IN s.types WHERE c IN $classes)
  AND ($region IS NULL OR EXISTS { (s)-[:inRegion]->(:Resource {uri: $region}) })
RETURN s.uri AS s, s.validFrom AS svf, s.validUntil AS svu, type(r) AS rel, m.uri AS m,
       m.types AS types, m.prefLabel_fi AS label, m.validFrom AS vf, m.validUntil AS vu,
       [(m)-[:postIn|unitOf]->(x) WHERE $mun IN x.types | x.uri]
       + [(m)-[:postIn|unitOf]->()-[:postIn|unitOf]->(x) WHERE $mun IN x.types | x.uri] AS muns,
       CASE type(r)
         WHEN 'hasMember' THEN [(ms)-[:organization]->(s)
                                WHERE EXISTS { (ms)-[:member]->(m) } | [ms.validFrom, ms.validUntil]]
         ELSE []
       END AS dated
