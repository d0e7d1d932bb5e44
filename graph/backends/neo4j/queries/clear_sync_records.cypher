// Delete the sync's records: the synced sources and the sync state.
MATCH (n)
WHERE n:SyncedSource OR n:SyncState
DELETE n
