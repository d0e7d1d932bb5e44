"""The analyses, each written once against the Backend protocol."""
