"""The sparql back end: the analyses over the SPARQL 1.1 Protocol, on any store that speaks it."""
