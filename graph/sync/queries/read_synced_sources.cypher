// The records of the synced sources: digest, time of ingest, whether a sync left it pending.
MATCH (s:SyncedSource)
RETURN s.graph AS graph, s.sha256 AS sha, s.ingested_at AS at, s.pending AS pending
