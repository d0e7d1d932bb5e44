// TEMPLATE. {{labels}}: the labels to remove, at least one, filled only by cypher.fill() with
// names cypher.identifier() accepted, each quoted (:`Forum`:`Network`).
// Remove those labels from the nodes $uris (keys).
UNWIND $uris AS u
MATCH (n:Resource {uri: u})
REMOVE n{{labels}}
