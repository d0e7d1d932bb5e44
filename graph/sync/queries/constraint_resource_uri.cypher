// One node per key: n10s's name for the constraint, so that n10s tools see it.
CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS
FOR (r:Resource) REQUIRE r.uri IS UNIQUE
