"""SPARQL 1.1 results (JSON, XML, CSV, TSV) with the endpoint's row cap.

Oxigraph serialises results fast, but only all of them: it cannot stop at
the endpoint's result cap. So a SELECT is first rewritten to stop at the cap
plus one row (:func:`row_capped`: a top-level ``LIMIT``), which bounds the
evaluation; Oxigraph writes that as TSV (one line a row, so the rows are
counted and cut at the cap by bytes), and JSON and XML are written from it by
Oxigraph's own writers (:func:`write_solutions_native`, about 5-10 times faster
than Python). Where the rewrite does not apply, and for CSV and TSV, the
writers below take the solutions one at a time and stop at ``limit``. Their
output follows the W3C result formats (checked against Oxigraph's and
rdflib's parsers in the tests). CSV and TSV cells go through api/render/cells.py,
so a label like ``=HYPERLINK(...)`` reaches a spreadsheet as text.

A cut answer says so in the header ``X-SPARQL-MaxRows`` and in the body where the
format has room (:func:`mark_truncated`, :func:`cap_note`); CSV and TSV have none.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from yhdyspinta.api.render.cells import neutralise
from yhdyspinta.api.sparql.text import keywords

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _capped(solutions: Iterable[ox.QuerySolution], limit: int | None, flag: list[bool]) -> Iterator[Any]:
    for i, solution in enumerate(solutions):
        if limit is not None and i >= limit:
            flag.append(True)
            return
        yield solution


# -- JSON ------------------------------------------------------------------

def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
            "object": _json_term(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _json(names: list[str], rows: Iterable[Any]) -> Iterator[str]:
    yield '{"head":{"vars":' + json.dumps(names) + '},"results":{"bindings":['
    first = True
    for row in rows:
        binding = {n: _json_term(row[n]) for n in names if row[n] is not None}
        yield ("" if first else ",") + json.dumps(binding, ensure_ascii=False)
        first = False
    yield "]}}\n"


# -- XML -------------------------------------------------------------------

def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype and term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"unexpected term {term!r}")


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml(names: list[str], rows: Iterable[Any]) -> Iterator[str]:
    yield _XML_HEAD + "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head><results>"
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>" for n in names if row[n] is not None
        )
        yield f"<result>{cells}</result>"
    yield "</results></sparql>\n"


# -- CSV and TSV -----------------------------------------------------------

def _csv_cell(term: Any) -> str:
    """The term's plain value (W3C CSV is lossy), neutralised for spreadsheets, then CSV-quoted."""
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term) if isinstance(term, ox.Triple) \
        else term.value
    text = neutralise(text)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(names: list[str], rows: Iterable[Any]) -> Iterator[str]:
    yield ",".join(names) + "\r\n"
    for row in rows:
        yield ",".join(_csv_cell(row[n]) for n in names) + "\r\n"


def _tsv_cell(term: Any) -> str:
    """The term in N-Triples syntax (``<iri>``, ``"literal"``, ``_:b``, ``<< >>``), tabs and newlines escaped.

    Such a cell starts with ``<``, ``"`` or ``_``, never with a formula trigger; ``neutralise`` is the
    guard should a term ever print otherwise (it leaves every well-formed term as it is).
    """
    if term is None:
        return ""
    text = str(term)  # Oxigraph prints terms in N-Triples syntax, escapes included
    return neutralise(text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))


def _tsv(names: list[str], rows: Iterable[Any]) -> Iterator[str]:
    yield "\t".join(f"?{n}" for n in names) + "\n"
    for row in rows:
        yield "\t".join(_tsv_cell(row[n]) for n in names) + "\n"


WRITERS: dict[str, Callable[[list[str], Iterable[Any]], Iterator[str]]] = {
    "json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv,
}


def write_solutions(solutions: ox.QuerySolutions, fmt: str, limit: int | None) -> tuple[bytes, bool]:
    """SELECT solutions in ``fmt``; the body and whether the cap cut it short."""
    names = [v.value for v in solutions.variables]
    truncated: list[bool] = []
    body = "".join(WRITERS[fmt](names, _capped(solutions, limit, truncated)))
    return body.encode("utf-8"), bool(truncated)


def write_boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer; only JSON and XML define one."""
    word = "true" if value else "false"
    if fmt == "json":
        return ('{"head":{},"boolean":' + word + "}\n").encode()
    if fmt == "xml":
        return f"{_XML_HEAD}<head/><boolean>{word}</boolean></sparql>\n".encode()
    raise ValueError(f"an ASK result has no {fmt} form")


# -- the row cap, with Oxigraph's writers ------------------------------------

_NUMBER = re.compile(r"\s*(\d+)")
_NATIVE = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def row_capped(query: str, cap: int | None) -> str | None:
    """The SELECT ``query`` made to stop after ``cap + 1`` rows (one more, to tell a cut answer); None
    for another query form or a text the keyword scanner cannot place a LIMIT in.

    A top-level ``LIMIT n`` above the cap becomes ``LIMIT cap+1``; one at or below it is kept; without
    one, ``LIMIT cap+1`` goes before a trailing ``VALUES`` block, else at the end. Sub-queries'
    LIMITs (inside braces) are left alone. ``cap`` None: the query as it is (no cap to keep).
    """
    scanned = list(keywords(query))
    top = [k for k in scanned if k.depth == 0]
    form = next((k.word for k in top if k.word in _FORMS), None)
    if form != "SELECT" or any(k.depth < 0 for k in scanned):
        return None
    if cap is None:
        return query
    limits = [k for k in top if k.word == "LIMIT"]
    if len(limits) > 1:
        return None
    if limits:
        m = _NUMBER.match(query, limits[0].start + len("LIMIT"))
        if m is None:
            return None
        if int(m.group(1)) <= cap:
            return query
        return f"{query[:m.start(1)]}{cap + 1}{query[m.end(1):]}"
    values = [k for k in top if k.word == "VALUES"]  # at depth 0 in a SELECT: only the trailing block
    if values:
        at = values[-1].start
        return f"{query[:at]}\nLIMIT {cap + 1}\n{query[at:]}"
    return f"{query}\nLIMIT {cap + 1}\n"


#: bytes of an answer's TSV held in memory; beyond, the rest goes to a temporary file (a worker answering
#: 290,000 rows held 25 MB more without it, and three workers can answer at once)
SPILL = 4 * 1024 * 1024


def native_solutions(solutions: ox.QuerySolutions, limit: int | None) -> tuple[ox.QuerySolutions, bool]:
    """The solutions cut at ``limit`` rows, ready for Oxigraph's writers; and whether they were cut.

    The solutions go to TSV first (Oxigraph escapes newlines in terms, so each row is one line),
    the lines are counted and cut, and Oxigraph parses that again: all in Rust, and the query is
    evaluated to its end here, so that no evaluation error can come once the answer is being sent.
    The TSV is kept as Oxigraph writes it (:class:`_Blocks`): its first :data:`SPILL` bytes in
    memory, the rest in a temporary file, never joined and never past the cut.
    The query must already stop at ``limit + 1`` rows (:func:`row_capped`), or this writes them all.
    """
    blocks = _Blocks(keep=None if limit is None else limit + 1)  # the header and ``limit`` rows
    solutions.serialize(blocks, format=ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
    truncated = limit is not None and blocks.lines - 1 > limit
    blocks.seek(0)
    parsed = ox.parse_query_results(blocks, format=ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
    assert isinstance(parsed, ox.QuerySolutions)
    return parsed, truncated


class _Blocks(io.RawIOBase):
    """What Oxigraph writes, counted in lines and kept up to ``keep`` lines (None: all): the first
    ``spill`` bytes as the blocks written, the rest in a temporary file; then read back as a file."""

    def __init__(self, *, keep: int | None = None, spill: int = SPILL) -> None:
        super().__init__()
        self.keep, self.spill = keep, spill
        self.blocks: list[bytes] = []
        self.held = 0  # bytes in ``blocks``
        self.file: IO[bytes] | None = None  # the rest, once ``spill`` bytes are held
        self.lines = 0  # every line written, also those past ``keep``
        self._at = self._offset = 0

    def write(self, data: Any) -> int:
        block = bytes(data)
        here = block.count(b"\n")
        if self.keep is not None and self.lines + here >= self.keep:
            if self.lines < self.keep:  # the cut is in this block: keep its lines up to it
                end = -1
                for _ in range(self.keep - self.lines):
                    end = block.index(b"\n", end + 1)
                self._hold(block[:end + 1])
        else:
            self._hold(block)
        self.lines += here
        return len(block)

    def _hold(self, block: bytes) -> None:
        if self.file is None and self.held + len(block) > self.spill:
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 - open until this object goes
        if self.file is not None:
            self.file.write(block)
        else:
            self.blocks.append(block)
            self.held += len(block)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Only back to the start, to read what was written."""
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("_Blocks reads from the start only")
        self._at = self._offset = 0
        if self.file is not None:
            self.file.flush()
            self.file.seek(0)
        return 0

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at < len(self.blocks):
            block = self.blocks[self._at]
            n = min(len(buffer), len(block) - self._offset)
            if n > 0:
                buffer[:n] = block[self._offset:self._offset + n]
                self._offset += n
                return n
            self._at, self._offset = self._at + 1, 0  # kept (at most ``spill`` bytes): it can be read again
        if self.file is None:
            return 0
        data = self.file.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        super().close()


def write_native(parsed: ox.QuerySolutions, fmt: str, out: Any) -> None:
    """``parsed`` (from :func:`native_solutions`) written in ``fmt`` (JSON or XML) by Oxigraph to the
    file-like ``out``, piece by piece, so that a large answer is never held whole."""
    parsed.serialize(out, format=_NATIVE[fmt])
    out.write(b"\n")


def write_solutions_native(solutions: ox.QuerySolutions, fmt: str, limit: int | None) -> tuple[bytes, bool]:
    """JSON or XML written by Oxigraph, cut at ``limit`` rows; the body and whether it was cut."""
    parsed, truncated = native_solutions(solutions, limit)
    body = parsed.serialize(format=_NATIVE[fmt]) or b""
    return body + b"\n", truncated


def mark_truncated(body: bytes, fmt: str, limit: int | None) -> bytes:
    """A cut SELECT answer marked in its body: JSON gains ``"truncated": true`` and ``"maxRows"`` (parsers
    ignore members they do not know), XML a comment after the declaration; CSV and TSV have no room."""
    if fmt == "json":
        at = body.index(b"{") + 1
        return body[:at] + f'"truncated":true,"maxRows":{limit},'.encode() + body[at:]
    if fmt == "xml":
        return _xml_comment(body, f"truncated: the server's result cap of {limit} rows was reached")
    return body


def cap_note(body: bytes, fmt: str, limit: int | None) -> bytes:
    """A cut CONSTRUCT or DESCRIBE answer marked in its body: a comment in Turtle, N-Triples and RDF/XML."""
    note = f"truncated: the server's result cap of {limit} triples was reached"
    if fmt in ("turtle", "ntriples"):
        return f"# {note}\n".encode() + body
    if fmt == "rdfxml":
        return _xml_comment(body, note)
    return body


def _xml_comment(body: bytes, note: str) -> bytes:
    at = body.index(b"?>") + 2 if body.startswith(b"<?xml") else 0
    return body[:at] + f"<!-- {note} -->".encode() + body[at:]
