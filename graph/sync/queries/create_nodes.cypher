// TEMPLATE. {{labels}}: the labels of this group of nodes besides Resource, filled only by
// cypher.fill() with names cypher.identifier() accepted, each quoted (:`Forum`:`Network`).
// Create the nodes $rows (each the map of a node's properties) in a database without them.
UNWIND $rows AS row
CREATE (n:Resource{{labels}})
SET n = row
