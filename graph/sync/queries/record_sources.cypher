// Record the synced sources $rows (each a map: graph, path, sha256, triples, ingested_at,
// synced_at): no longer pending.
UNWIND $rows AS row
MERGE (s:SyncedSource {graph: row.graph})
SET s += row, s.pending = null
