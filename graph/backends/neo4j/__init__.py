"""The Neo4j back end: Cypher over the graph that graph/sync/ wrote."""
