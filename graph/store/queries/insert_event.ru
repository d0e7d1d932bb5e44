# The write $event in the history kept in the metadata graph $meta: the graph $graph from
# $path ($sha256) written at $at with $triples triples, $added added and $removed removed.
INSERT DATA { GRAPH $meta {
  $event a yhd:IngestEvent ; prov:startedAtTime $at ; yhd:graph $graph ; yhd:sourcePath $path ;
    yhd:sha256 $sha256 ; yhd:tripleCount $triples ; yhd:triplesAdded $added ; yhd:triplesRemoved $removed
} }
