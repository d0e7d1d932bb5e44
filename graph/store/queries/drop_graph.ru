# The graph $graph removed (one statement of a write).
DROP SILENT GRAPH $graph
