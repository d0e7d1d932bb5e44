// Delete at most $batch synced nodes; the count deleted (0: none left).
MATCH (n:Resource)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS n
