// Delete at most $limit relationships, either way, of the nodes $uris (keys); the count
// deleted (0: none left), so that a node with thousands of them goes in bounded steps.
UNWIND $uris AS u
MATCH (:Resource {uri: u})-[r]-()
WITH DISTINCT r LIMIT $limit
DELETE r
RETURN count(*) AS n
