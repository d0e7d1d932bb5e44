// Every synced-source record, whole.
MATCH (s:SyncedSource)
RETURN properties(s) AS p
