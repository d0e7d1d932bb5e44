// The digest of the class hierarchy the labels were derived from, in the state named $name.
MATCH (s:SyncState {name: $name})
RETURN s.schema AS schema
