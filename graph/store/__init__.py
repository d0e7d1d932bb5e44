"""The graph as stored: the embedded Oxigraph store, its history of writes, and snapshots for readers."""
