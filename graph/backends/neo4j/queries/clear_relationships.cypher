// Delete at most $batch relationships of the synced nodes; the count deleted (0: none left).
MATCH (:Resource)-[r]->()
WITH r LIMIT $batch
DELETE r
RETURN count(*) AS n
