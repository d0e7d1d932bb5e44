"""Renderers: tables (JSON/CSV), HTML pages, the network view, the report, and the escaping rules."""
