"""Labels a spreadsheet would run as formulas, ingested like any source: for the export tests.

OWASP's list of first characters (``= + - @``, tab, CR). Six networks and six member organisations
in Päijät-Häme, each labelled with one hostile string, written as Turtle and ingested through the
normal ingest into a copy of the bundled store.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest
from yhdyspinta.ingest.pipeline import SourceOutcome

#: labels a spreadsheet would run (or reach a formula through)
HOSTILE = ['=HYPERLINK("http://127.0.0.1/x","click")', "+SUM(1)", "-2+3", "@cmd", "\t=1", "\r=1"]
ID = "https://w3id.org/yhdyspinta/id/"
SOURCE = "https://w3id.org/yhdyspinta/source/004_664281610daadb27"


def _lit(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"@fi'


def hostile_turtle(tag: str, themes: list[str]) -> str:
    """Six networks (``{ID}network/{tag}/n0`` ...) on ``themes`` and six member organisations
    (``{ID}organisation/{tag}/o0`` ...), each labelled with one hostile string."""
    network, org = f"{ID}network/{tag}/", f"{ID}organisation/{tag}/"
    out = ["@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .",
           "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
           "@prefix org: <http://www.w3.org/ns/org#> .",
           "@prefix dcterms: <http://purl.org/dc/terms/> ."]
    theme_list = ", ".join(f"<https://w3id.org/yhdyspinta/theme/{t}>" for t in themes)
    members = ", ".join(f"<{org}o{j}>" for j in range(len(HOSTILE)))
    for i, label in enumerate(HOSTILE):
        out.append(f"""<{org}o{i}> a yhd:CivilSocietyOrganisation ; skos:prefLabel {_lit(label)} ;
    yhd:inRegion <{ID}region/paijat-hame> ; dcterms:source <{SOURCE}> .
<{network}n{i}> a yhd:Network ; skos:prefLabel {_lit(label)} ;
    yhd:inRegion <{ID}region/paijat-hame> ; yhd:theme {theme_list} ;
    org:hasMember {members} ;
    dcterms:source <{SOURCE}> .""")
    return "\n".join(out) + "\n"


def hostile_home(bundled_store_dir: Path, home: Path, turtle: str) -> SourceOutcome:
    """``home/store``: a copy of the bundled store with ``turtle`` ingested from ``home/incoming``."""
    shutil.copytree(bundled_store_dir, home / "store")
    source = home / "incoming" / "hostile.ttl"
    source.parent.mkdir()
    source.write_text(turtle, encoding="utf-8")
    with Store(home / "store") as store:
        [outcome] = ingest(store, [source]).outcomes
    return outcome
