// Every relationship from a synced node: start key, type, end key, properties.
MATCH (s:Resource)-[r]->(o)
RETURN s.uri AS s, type(r) AS t, o.uri AS o, properties(r) AS p
