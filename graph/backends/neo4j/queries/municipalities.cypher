// The municipalities (asserted type $mun) of the region $region.
MATCH (m:Municipality)-[:inRegion]->(:Resource {uri: $region})
WHERE $mun IN m.types
RETURN m.uri AS m, m.notation AS code, m.prefLabel_fi AS label, m.population AS pop,
       m.validFrom AS vf, m.validUntil AS vu
