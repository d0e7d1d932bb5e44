// Whether any sync has written into this database: a row if a source record exists.
MATCH (s:SyncedSource)
RETURN s.graph AS g
LIMIT 1
