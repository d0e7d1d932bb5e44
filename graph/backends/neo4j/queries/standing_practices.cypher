// The statutory negotiations ($cls: the IRI of yhd:StatutoryNegotiation) of the region $region
// that are not only planned (no yhd:status $planned), with their permanences (Python keeps the
// standing ones), requirement, frequency, month, Finnish timing note, validity, source lines and
// the sources' titles.
MATCH (forum)-[:inRegion]->(:Resource {uri: $region})
WHERE $cls IN forum.types AND NOT EXISTS { (forum)-[:status]->(:Resource {uri: $planned}) }
MATCH (forum)-[:negotiationType]->(req)
MATCH (forum)-[:frequency]->(freq)
RETURN req.uri AS req, forum.uri AS forum, forum.prefLabel_fi AS label, freq.uri AS freq,
       [(forum)-[:permanence]->(p) | p.uri] AS permanences,
       forum.practiceMonth AS month, forum.frequencyNote_fi AS note, forum.validFrom AS vf,
       forum.validUntil AS vu, forum.sourceLines AS lines,
       [(forum)-[:source]->(s) WHERE s.title IS NOT NULL | s.title] AS titles
