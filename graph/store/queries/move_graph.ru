# The graph $graph replaced by the staged content of the graph $staging (one statement of
# a write: the write's statements are run as one update, one transaction).
DROP SILENT GRAPH $graph ;
MOVE SILENT GRAPH $staging TO GRAPH $graph
