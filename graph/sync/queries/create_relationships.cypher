// TEMPLATE. {{type}}: the relationship type of this statement, filled only by cypher.fill()
// with a name cypher.identifier() accepted, quoted (`hasMember`).
// Create the relationships of one type from new nodes. The end nodes $ends (keys) are
// looked up once per statement (a region or a theme ends thousands of links); each row of
// $rows is [start key, index into $graphs, [indexes into $ends]], and $graphs the lists
// of the named graphs that assert a relationship.
UNWIND $ends AS e
MATCH (o:Resource {uri: e})
WITH collect(o) AS os
UNWIND $rows AS row
MATCH (s:Resource {uri: row[0]})
WITH s, row, os, $graphs[row[1]] AS g
UNWIND row[2] AS i
WITH s, os[i] AS o, g
CREATE (s)-[r:{{type}}]->(o)
SET r.graphs = g
