# The graph $graph replaced by the staged content of the graph $staging, for a remote store
# (graph/store/remote.py): the same as move_graph.ru, written as DROP, INSERT ... WHERE, DROP.
# Why not MOVE: Fuseki 5.6 (TDB2) lost triples when one request dropped a graph and then MOVEd
# or ADDed into it triples it had held (tests/test_sparql_backend_ingest.py catches it).
DROP SILENT GRAPH $graph ;
INSERT { GRAPH $graph { ?s ?p ?o } } WHERE { GRAPH $staging { ?s ?p ?o } } ;
DROP SILENT GRAPH $staging
