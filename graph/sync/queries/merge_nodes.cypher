// TEMPLATE. {{labels}}: the labels these nodes lack, filled only by cypher.fill() with names
// cypher.identifier() accepted, each quoted (:`Forum`:`Network`); possibly none, which the
// Resource before it (a label each node has already) keeps valid.
// Rewrite the nodes $rows (each the map of a node's properties) whole, creating those
// not there yet, and give them the labels they lack.
UNWIND $rows AS row
MERGE (n:Resource {uri: row.uri})
SET n = row
SET n:Resource{{labels}}
