# Triples into one named graph (a remote store without the Graph Store Protocol stages a graph this way).
# The line #TRIPLES is replaced by triples written from parsed terms (graph/store/remote.py), never raw text.
INSERT DATA { GRAPH $graph {
#TRIPLES
} }
