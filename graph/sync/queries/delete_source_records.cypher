// Forget the records of the removed source graphs $graphs.
UNWIND $graphs AS g
MATCH (s:SyncedSource {graph: g})
DELETE s
