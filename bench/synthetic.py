"""Synthetic national-scale data: networks and forums for every region of Finland.

Deterministic (seeded) and built on the real reference data: the municipalities, welfare
areas and regions of ``data/reference/`` and the theme schemes, levels and scopes of the
ontology. Each region gets on average ``per_region`` cooperation structures (half to one
and a half times that), each with labels in three languages, one to three themes, levels,
a scope, a permanence, a status (one in ten planned), two to twelve members (the region's
municipalities, its welfare area and synthetic associations) and a coordinator. Written as
one Turtle file per region that ``yhdyspinta ingest`` accepts (SHACL included).

    python bench/synthetic.py OUT_DIR --per-region 200 --seed 1
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
THEMES = ROOT / "ontology" / "themes.ttl"
BASE = "https://w3id.org/yhdyspinta/"
YHD = BASE + "ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LEVELS = [f"{BASE}level/{x}" for x in ("poliittiset-paattajat", "viranhaltijajohto", "asiantuntijat", "asiakastyo")]
SCOPES = [f"{BASE}scope/{x}" for x in ("municipal", "sub-regional", "regional")]
PERMANENCE = [f"{BASE}permanence/{x}" for x in ("standing", "temporary")]
SOURCE = f"{BASE}source/synthetic"
KINDS = (("Network", "verkosto", "nätverk", "network"), ("Forum", "foorumi", "forum", "forum"))


@dataclass
class Region:
    """A region of the reference data and who is in it."""

    iri: str
    slug: str
    welfare_area: str | None = None
    municipalities: list[str] = field(default_factory=list)


def _subjects(path: Path, predicate: str) -> dict[str, str]:
    """subject -> object (value) of ``predicate`` in a Turtle file."""
    found: dict[str, str] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value == predicate:
            found[quad.subject.value] = quad.object.value
    return found


def load_regions() -> list[Region]:
    """The regions with their welfare area and current municipalities, ordered by slug."""
    regions = {iri: Region(iri, slug) for iri, slug in _subjects(REFERENCE / "regions.ttl", YHD + "slug").items()}
    for wa, region in _subjects(REFERENCE / "regions.ttl", YHD + "servesRegion").items():
        regions[region].welfare_area = wa
    gone = _subjects(REFERENCE / "municipalities.ttl", YHD + "validUntil")
    for mun, region in sorted(_subjects(REFERENCE / "municipalities.ttl", YHD + "inRegion").items()):
        if mun not in gone and region in regions:
            regions[region].municipalities.append(mun)
    return sorted(regions.values(), key=lambda r: r.slug)


def load_themes() -> list[str]:
    """Every yhd:Theme of the ontology's schemes, sorted."""
    types = [
        q.subject.value for q in ox.parse(path=str(THEMES), format=ox.RdfFormat.TURTLE)
        if q.predicate.value == RDF_TYPE and q.object.value == YHD + "Theme"
    ]
    return sorted(set(types))


def _iri(value: str) -> str:
    return f"<{value}>"


def region_turtle(region: Region, per_region: int, themes: list[str], seed: int) -> tuple[str, int]:
    """The Turtle of one region's synthetic structures, and how many structures it holds."""
    rng = random.Random(f"{seed}:{region.slug}")
    count = int(per_region * (0.5 + rng.random()))
    lines = [
        f"{_iri(SOURCE)} a {_iri(YHD + 'SourceDocument')} ; "
        '<http://purl.org/dc/terms/title> "synthetic data (bench/synthetic.py)" .'
    ]
    associations = []
    for i in range(max(3, per_region // 10)):
        iri = f"{BASE}id/org/synthetic/{region.slug}/yhdistys-{i}"
        associations.append(iri)
        lines.append(
            f"{_iri(iri)} a {_iri(YHD + 'CivilSocietyOrganisation')} ; "
            f'{_iri(SKOS + "prefLabel")} "Yhdistys {i} ({region.slug})"@fi ; '
            f"{_iri(YHD + 'inRegion')} {_iri(region.iri)} ; <http://purl.org/dc/terms/source> {_iri(SOURCE)} ."
        )
    actors = [*region.municipalities, *([region.welfare_area] if region.welfare_area else []), *associations]
    for i in range(count):
        kind, fi, sv, en = KINDS[0] if rng.random() < 0.8 else KINDS[1]
        iri = f"{BASE}id/{kind.lower()}/synthetic/{region.slug}/{i}"
        members = rng.sample(actors, min(len(actors), rng.randint(2, 12)))
        status = "planned" if rng.random() < 0.1 else "active"
        props = [
            f"a {_iri(YHD + kind)}",
            f'{_iri(SKOS + "prefLabel")} "Synteettinen {fi} {i} ({region.slug})"@fi, '
            f'"Syntetiskt {sv} {i} ({region.slug})"@sv, "Synthetic {en} {i} ({region.slug})"@en',
            f"{_iri(YHD + 'inRegion')} {_iri(region.iri)}",
            f"{_iri(YHD + 'theme')} " + ", ".join(_iri(t) for t in rng.sample(themes, rng.randint(1, 3))),
            f"{_iri(YHD + 'level')} " + ", ".join(_iri(v) for v in rng.sample(LEVELS, rng.randint(1, 2))),
            f"{_iri(YHD + 'scope')} {_iri(rng.choice(SCOPES))}",
            f"{_iri(YHD + 'permanence')} {_iri(rng.choice(PERMANENCE))}",
            f"{_iri(YHD + 'status')} {_iri(BASE + 'status/' + status)}",
            "<http://www.w3.org/ns/org#hasMember> " + ", ".join(_iri(m) for m in members),
            f"{_iri(YHD + 'coordinator')} {_iri(members[0])}",
            f"{_iri(YHD + 'declaredMemberCount')} {len(members) + rng.randint(0, 5)}",
            '<http://www.w3.org/2000/01/rdf-schema#comment> "Generated for benchmarks; not real."@en',
            f"<http://purl.org/dc/terms/source> {_iri(SOURCE)}",
        ]
        lines.append(f"{_iri(iri)} " + " ;\n    ".join(props) + " .")
    return "\n".join(lines) + "\n", count


def generate(out: Path, *, per_region: int, seed: int = 1) -> dict[str, int]:
    """Write one ``<slug>.ttl`` per region under ``out``; returns structures per region."""
    out.mkdir(parents=True, exist_ok=True)
    themes = load_themes()
    written: dict[str, int] = {}
    for region in load_regions():
        text, count = region_turtle(region, per_region, themes, seed)
        (out / f"{region.slug}.ttl").write_text(text, encoding="utf-8")
        written[region.slug] = count
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-region", type=int, default=100, help="mean structures per region")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    written = generate(args.out, per_region=args.per_region, seed=args.seed)
    print(f"{sum(written.values())} structures in {len(written)} regions -> {args.out}")


if __name__ == "__main__":
    main()
