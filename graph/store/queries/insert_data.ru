# Triples into one named graph (a remote store without the Graph Store Protocol stages a graph this way).
# graph/store/remote.py replaces the placeholder triple below by triples written from parsed terms, never raw
# text; the placeholder is a triple (not a comment) so that the statement parses as it stands.
INSERT DATA { GRAPH $graph {
  <urn:yhdyspinta:triples> <urn:yhdyspinta:triples> <urn:yhdyspinta:triples> .
} }
