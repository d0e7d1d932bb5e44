// Record $schema, the digest of the class hierarchy, in the state named $name.
MERGE (s:SyncState {name: $name})
SET s.schema = $schema
