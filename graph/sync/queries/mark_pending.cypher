// Mark the source graphs $graphs as being synced, until their records are written.
UNWIND $graphs AS g
MERGE (s:SyncedSource {graph: g})
SET s.pending = true
