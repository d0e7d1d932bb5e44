"""SPARQL: the protocol, execution in sandboxed workers, result writers shared by CLI and HTTP, negotiation."""
