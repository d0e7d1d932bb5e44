// The planning milestones ($cls: the IRI of yhd:PlanningMilestone): recurrence, window,
// term year (from the start or the end), the requirements each is for, when it applies
// from, the notations of its kinds of council, its source lines and its sources' titles.
MATCH (m:PlanningMilestone)-[:recurrence]->(rec)
WHERE $cls IN m.types
RETURN m.uri AS m, m.prefLabel_fi AS label, rec.uri AS rec, m.windowStartMonth AS start,
       m.windowEndMonth AS end, m.termYear AS year, m.termYearFromEnd AS fromEnd,
       [(m)-[:milestoneFor]->(q) | q.uri] AS reqs, m.validFrom AS vf, m.sourceLines AS lines,
       [(m)-[:councilKind]->(k) | k.notation] AS councils,
       [(m)-[:source]->(s) WHERE s.title IS NOT NULL | s.title] AS titles
