// TEMPLATE. {{type}}: the relationship type of this statement, filled only by cypher.fill()
// with a name cypher.identifier() accepted, quoted (`hasMember`).
// Create the relationships $rows, each [start key, end key, the graphs that assert it],
// from rewritten nodes; an end node not there yet is created with those graphs.
UNWIND $rows AS row
MATCH (s:Resource {uri: row[0]})
MERGE (o:Resource {uri: row[1]})
  ON CREATE SET o.graphs = row[2]
CREATE (s)-[r:{{type}}]->(o)
SET r.graphs = row[2]
