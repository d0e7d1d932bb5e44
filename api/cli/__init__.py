"""The command line: commands only parse options and call graph/ and ingest/."""
