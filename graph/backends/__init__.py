"""Back ends the analyses run on: the protocol, the embedded store and Neo4j behind it, and
``registry.open_backend``, which chooses and opens one by name."""
