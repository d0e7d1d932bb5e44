"""Writing the RDF graph into Neo4j: mapping, batched writes, sync state."""
