// Every synced node: its key, labels and properties.
MATCH (n:Resource)
RETURN n.uri AS uri, labels(n) AS l, properties(n) AS p
