"""The situational picture as one self-contained HTML page (no network, no scripts).

Plots are inline SVG drawn here, so the page opens offline in any browser.
Every label goes through api/render/csp.py ``esc`` (attributes double-quoted), and the
page's policy allows no script at all.
"""

from __future__ import annotations

from datetime import date

from yhdyspinta.api.render.csp import esc, meta_tag
from yhdyspinta.graph.analyses.coverage import MATRIX_COLUMNS
from yhdyspinta.graph.analyses.report import SituationalPicture

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #1d2330; }
h1 { margin-bottom: .2rem } h2 { margin-top: 2.2rem; border-bottom: 2px solid #dde3ee }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem } th, td { padding: .25rem .6rem;
border-bottom: 1px solid #e4e8f0; text-align: left; vertical-align: top } th { background: #f3f6fb }
td.n { text-align: right } td.gap { background: #fde2e1 } td.ok { background: #e2f4e6 }
.muted { color: #6b7385 } figure { margin: 1rem 0 } .note { font-size: .85rem }
"""


def _table(header: list[str], rows: list[list[object]], classes: list[list[str]] | None = None) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, v in enumerate(row):
            cls = classes[i][j] if classes else ("n" if isinstance(v, int | float) else "")
            cells.append(f'<td class="{cls}">{esc("" if v is None else str(v))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _short(label: str, limit: int = 46) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(items: list[tuple[str, int]], *, title: str, width: int = 760) -> str:
    """A horizontal bar chart as inline SVG."""
    if not items:
        return ""
    bar, gap, label_w = 16, 6, 330
    top = max(v for _l, v in items) or 1
    height = len(items) * (bar + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(title)}"><title>{esc(title)}</title>']
    for i, (label, value) in enumerate(items):
        y = 20 + i * (bar + gap)
        w = int((width - label_w - 60) * value / top)
        colour = "#d9534f" if value == 0 else "#3b73b9"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" font-size="12" text-anchor="end">{esc(_short(label))}</text>'
        )
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(w, 2)}" height="{bar}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + max(w, 2) + 4}" y="{y + 12}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return f'<figure>{"".join(parts)}<figcaption class="muted">{esc(title)}</figcaption></figure>'


def render_report(pic: SituationalPicture) -> str:
    """The whole page."""
    cov, region = pic.coverage, pic.coverage.region
    levels = list(MATRIX_COLUMNS)
    matrix_rows, matrix_classes = [], []
    for t in cov.gaps.themes:
        cells = cov.matrix.get(t.theme, {})
        counts = [len(cells.get(lbl, [])) for lbl in levels]
        matrix_rows.append([t.scheme_label, t.label_fi, *counts])
        matrix_classes.append(["", "gap" if t.is_gap else "ok", *["n" for _ in counts]])
    out = [
        f'<!doctype html><html lang="fi"><head><meta charset="utf-8">{meta_tag()}',
        f"<title>Tilannekuva: {esc(region.label_fi)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Yhdyspintojen tilannekuva: {esc(region.label_fi)}</h1>",
        f'<p class="muted">Situational picture of the interfaces between the municipalities and the welfare '
        f"area of {esc(region.label_en or region.label_fi)}, from the yhdyspinta knowledge graph, "
        f"{date.today().isoformat()}.</p>",
        "<h2>Coverage gaps</h2>",
        f"<p>{len(cov.gaps.gaps)} of {len(cov.gaps.themes)} themes have no forum or network in the region.</p>",
        _table(["scheme", "theme", "stated in the source"],
               [[t.scheme_label, t.label_fi, t.statement or ""] for t in cov.gaps.gaps]),
        bar_chart([(t.label_fi, len(t.covered_by)) for t in cov.gaps.themes],
                  title="Forums and networks covering each theme (red: none)"),
        "<h2>Themes by level of interaction</h2>",
        _table(["scheme", "theme", *levels], matrix_rows, matrix_classes),
        "<h2>Themes with networks but no forum with a mandate</h2>",
        _table(["theme"], [[cov.theme_label(t)] for t in cov.without_mandate]),
        "<h2>Municipalities in a theme's structures</h2>",
        '<p class="note">Present: takes part in a covering forum or network (itself, or through a post or unit), '
        "or the theme has each municipality's own network of a kind. Absent (stated): a source says so. "
        "Not on record: the sources say nothing either way; it is not a finding of absence.</p>",
        _table(["theme", "present", "absent (stated)", "not on record"],
               [[r["label_fi"], r["present"], r["absent (stated)"], r["not on record"]]
                for r in cov.municipality_rows()]),
        "<h2>Building blocks of cooperation leadership</h2>",
        _table(["building block", "state", "basis"],
               [[b["block"], b["state"], b["basis"]] for b in [*cov.block_status(), *cov.agreement_status()]]),
        "<h2>Statutory negotiations</h2>",
        _table(["requirement", "frequency", "on record"],
               [[n.label, n.frequency, n.forum_label or "nothing on record"] for n in cov.negotiations]),
        "<h2>Bridges</h2>",
        _table(["actor", "structures", "themes", "role"],
               [[s.label, s.structures, s.themes, s.role] for s in pic.bridges.spanners[:20]]),
        _table(["articulation point"], [[label] for _n, label in pic.bridges.cut_points[:20]]),
        "<h2>Load</h2>",
        bar_chart([(a.label, a.memberships + a.roles) for a in pic.load.actors[:15]],
                  title="Memberships and roles per actor (top 15)"),
        f'<p class="note">{esc(pic.load.ranking_title)}. One-per-municipality entries (own) are not in the '
        "figure; municipalities with nothing on record are not ranked.</p>",
        _table(["rank", "municipality", "population", "on record", "region-wide", "own", "per 10 000 inhabitants"],
               [[r["rank"], r["label"], r["population"], r["on_record"], r["region_wide"], r["own"], r["per_10k"]]
                for r in pic.load.municipality_rows()]),
        (f'<p class="muted">Not on record, not ranked: {esc(", ".join(m.label for m in pic.load.not_on_record))}</p>'
         if pic.load.not_on_record else ""),
        "<h2>Pilot quorum</h2>",
        _table(list(pic.quorum.columns), [list(r.values()) for r in pic.quorum.rows()]) if pic.quorum.pilots
        else '<p class="muted">No pilot on record for this region.</p>',
        "<h2>Sources</h2><ul>",
        *[f'<li>{esc(title)} <span class="muted">({esc(iri)})</span></li>' for iri, title in pic.sources],
        '</ul><p class="note muted">Every fact in the graph cites its source with dcterms:source. '
        "Definitions of the analyses: docs/analyses.md.</p></body></html>",
    ]
    return "\n".join(out)
