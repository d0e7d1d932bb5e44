"""The interfaces: the CLI (and, later, HTTP and pages). Nothing imports this package."""
