// Delete the nodes $rows (keys), with what relationships they have left.
UNWIND $rows AS u
MATCH (n:Resource {uri: u})
DETACH DELETE n
