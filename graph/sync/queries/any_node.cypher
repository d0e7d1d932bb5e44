// A row if the database holds any node at all, ours or not: an offline import would replace it.
MATCH (n)
RETURN 1 AS n
LIMIT 1
