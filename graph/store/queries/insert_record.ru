# The record of the graph $graph in the metadata graph $meta: where it came from ($path,
# $sha256), its size ($triples) and when it was written ($at, an xsd:dateTime).
INSERT DATA { GRAPH $meta {
  $graph a yhd:IngestedSource ; yhd:sourcePath $path ; yhd:sha256 $sha256 ;
    yhd:tripleCount $triples ; dcterms:modified $at
} }
