// The pilots ($cls: the IRI of yhd:Pilot): regions, quorum, registration deadline, and how many
// municipalities take part as a source states it (participatingMunicipalityCount).
MATCH (p:Pilot)
WHERE $cls IN p.types
RETURN p.uri AS p, p.prefLabel_fi AS label, [(p)-[:inRegion]->(r) | r.uri] AS regions,
       p.quorumMunicipalShare AS share, p.requiresWelfareArea AS wa,
       p.registrationDeadline AS deadline, p.participatingMunicipalityCount AS taking
