# The record of the graph $graph removed from the metadata graph $meta (one statement of a write).
DELETE WHERE { GRAPH $meta { $graph ?p ?o } }
