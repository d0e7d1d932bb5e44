// The key and labels of each node the source graphs $graphs contributed to; of every node
// when $graphs is null.
MATCH (n:Resource)
WHERE $graphs IS NULL OR any(g IN n.graphs WHERE g IN $graphs)
RETURN n.uri AS uri, labels(n) AS labels
