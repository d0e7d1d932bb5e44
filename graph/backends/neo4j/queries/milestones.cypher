// The planning milestones ($cls: the IRI of yhd:PlanningMilestone): recurrence, window,
// term year and the requirements each is for.
MATCH (m:PlanningMilestone)-[:recurrence]->(rec)
WHERE $cls IN m.types
RETURN m.uri AS m, m.prefLabel_fi AS label, rec.uri AS rec, m.windowStartMonth AS start,
       m.windowEndMonth AS end, m.termYear AS year, [(m)-[:milestoneFor]->(q) | q.uri] AS reqs
