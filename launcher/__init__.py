"""Start and stop a real, local Neo4j Community 5.26 server built from Maven Central jars.

No Docker engine is available on the development machines, so ``install.sh`` fetches the
server's jars with Maven and :mod:`yhdyspinta.launcher.server` runs them with plain ``java``,
with Bolt on a loopback port. Used by the tests and by ``yhdyspinta neo4j start|stop|status``.
See ``launcher/README.md``.
"""
