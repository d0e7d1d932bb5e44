// A row if any synced node exists.
MATCH (n:Resource)
RETURN n.uri AS uri
LIMIT 1
