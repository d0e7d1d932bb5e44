# Triples out of one named graph (the triples a write removes from a graph it replaces).
# sparql.with_triples writes the triples, from parsed terms (never raw text), inside the GRAPH block.
DELETE DATA { GRAPH $graph {
} }
