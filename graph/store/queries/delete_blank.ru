# The triples of the graph $graph that hold a blank node (a write that replaces the graph
# cannot name them in DELETE DATA: they go, and the new version's are inserted afresh).
DELETE { GRAPH $graph { ?s ?p ?o } } WHERE { GRAPH $graph { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) }
