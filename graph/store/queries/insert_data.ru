# Triples into one named graph: what a write adds to a graph it replaces (store.py), and how a remote
# store without the Graph Store Protocol is staged (remote.py). sparql.with_triples writes the triples,
# from parsed terms (never raw text), inside the GRAPH block.
INSERT DATA { GRAPH $graph {
} }
