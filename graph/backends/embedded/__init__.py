"""The embedded back end: SPARQL over the on-disk store, and browsing its entities."""
