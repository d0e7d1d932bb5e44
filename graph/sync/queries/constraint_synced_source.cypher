// One record per synced source graph.
CREATE CONSTRAINT yhdyspinta_synced_source IF NOT EXISTS
FOR (s:SyncedSource) REQUIRE s.graph IS UNIQUE
