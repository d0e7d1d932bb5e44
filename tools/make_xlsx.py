"""Build the XLSX form of the tabular template from a folder of template CSVs.

    python tools/make_xlsx.py templates/csv templates/yhdyspinta-template.xlsx
    python tools/make_xlsx.py data/etela-karjala/template templates/example-etela-karjala.xlsx
"""

from __future__ import annotations

import sys
from pathlib import Path

from yhdyspinta.ingest.template_xlsx import csv_folder_to_xlsx

if __name__ == "__main__":
    csv_folder_to_xlsx(Path(sys.argv[1]), Path(sys.argv[2]))
