"""Back ends the analyses run on: the protocol, and the embedded store and Neo4j behind it."""
