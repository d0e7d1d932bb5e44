"""The data steward's template (XLSX and CSV), generated from the ontology by `yhdyspinta template`."""
