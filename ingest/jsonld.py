"""Reading JSON-LD without fetching anything.

A JSON-LD document may name its context by URL (``"@context": "https://..."``,
``"@import"``, a scoped context in a term definition). rdflib then fetches
that URL, over the network or from a ``file://`` path, while a steward's file
or an HTTP upload is being read: a request to any host the server can reach,
or a local file's content leaking into the graph. Here the parsed JSON is
walked first, and every context that is not inline is either replaced by a
bundled copy (the allow-list below) or refused, so rdflib never sees a URL to
fetch. The walk also caps the nesting depth, which would otherwise end in a
RecursionError deep inside a parser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Graph

from yhdyspinta.errors import InputError, Location

#: Remote contexts that may be named by URL, each read from a file shipped with the package instead of
#: the network. None is needed today; a context shipped later goes in data/_contexts/ (discovery skips
#: folders starting with "_", so it is not ingested as data), e.g.
#: ``"https://schema.org/": data_dir() / "_contexts" / "schema.org.jsonld"``.
BUNDLED_CONTEXTS: dict[str, Path] = {}

#: The deepest nesting of JSON arrays and objects accepted; real JSON-LD stays far below it.
MAX_DEPTH = 100

#: The base given to rdflib when the caller has none, so that a relative IRI can be found and refused.
_NO_BASE = "https://no-base.invalid/"

_CONTEXT = "@context"
_IMPORT = "@import"


def parse_jsonld(data: bytes | str, *, base_iri: str | None, where: str) -> Graph:
    """Parse a JSON-LD document into a graph, with inline or bundled contexts only.

    ``base_iri`` resolves relative IRIs (None: a relative IRI is refused, unless the
    document sets ``@base``); ``where`` names the source in errors (a file path, or
    what an HTTP request sent). Raises InputError for text that is not UTF-8,
    not JSON, nested deeper than MAX_DEPTH, naming a context that is not bundled, or
    that rdflib cannot turn into RDF. Nothing is read from the network or from files.
    """
    doc = _load_json(data, where)
    if not isinstance(doc, dict | list):
        raise InputError("a JSON-LD document is a JSON object or array", Location(where))
    _check_depth(doc, where)
    doc = _inline_contexts(doc, where)
    _assert_inline(doc, where)
    graph = Graph()
    try:
        # a dict goes in as it is (rdflib reads it without re-parsing); a top-level array as text
        # (rdflib's stub says text or bytes; its JSON-LD parser takes the dict too)
        graph.parse(data=doc if isinstance(doc, dict) else json.dumps(doc), format="json-ld",  # type: ignore[arg-type]
                    publicID=base_iri or _NO_BASE)
    except InputError:
        raise
    except RecursionError as exc:
        raise InputError("JSON-LD nests too deeply to be read", Location(where)) from exc
    except Exception as exc:  # noqa: BLE001 - rdflib's failure on user input is bad input, not a crash
        raise InputError(f"JSON-LD cannot be read: {exc}", Location(where)) from exc
    if base_iri is None:
        _refuse_relative(graph, where)
    return graph


def _refuse_relative(graph: Graph, where: str) -> None:
    """Without a base, rdflib would resolve a relative IRI against the process's working folder (file:///...)."""
    for triple in graph:
        for term in triple:
            if str(term).startswith(_NO_BASE):
                relative = str(term).removeprefix(_NO_BASE)
                raise InputError(
                    f"JSON-LD uses the relative IRI '{relative}' and there is no base to resolve it against; "
                    "use absolute IRIs or set \"@base\" in the context",
                    Location(where),
                )


def _load_json(data: bytes | str, where: str) -> Any:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text: {exc}", Location(where)) from exc
    data = data.removeprefix("\ufeff")  # a byte order mark some editors write at the start
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON-LD is not valid JSON: {exc.msg}", Location(where, line=exc.lineno)) from exc
    except RecursionError as exc:
        raise InputError(f"JSON-LD nests deeper than {MAX_DEPTH} levels", Location(where)) from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        reason = str(exc).split("; use sys.")[0]
        raise InputError(f"JSON-LD cannot be read: {reason}", Location(where)) from exc


def _check_depth(doc: Any, where: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH; iterative, so the check itself cannot overflow."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"JSON-LD nests deeper than {MAX_DEPTH} levels", Location(where))
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, dict | list))


def _inline_contexts(doc: Any, where: str) -> Any:
    """``doc`` with every ``@context`` made inline; a context named by a URL not bundled is refused.

    Node objects anywhere (inside ``@graph``, as property values, ``@included``) may carry
    their own ``@context``, so the whole document is walked, not just the top.
    """
    stack: list[Any] = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if _CONTEXT in value:
                value[_CONTEXT] = _context(value[_CONTEXT], where, ())
            stack.extend(v for k, v in value.items() if k != _CONTEXT and isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, dict | list))
    return doc


def _assert_inline(doc: Any, where: str) -> None:
    """A last look at everything, contexts included: no URL left where rdflib would fetch one.

    rdflib fetches a string under ``@context`` (alone or in a list, at any depth) and the
    value of ``@import``; whatever way a document nests them, none may remain.
    """
    stack: list[Any] = [doc]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ctx = value.get(_CONTEXT)
            if isinstance(ctx, str) or (isinstance(ctx, list) and any(isinstance(c, str) for c in ctx)):
                raise InputError("JSON-LD names a context by reference; only inline contexts are read",
                                 Location(where))
            if _IMPORT in value:
                raise InputError("JSON-LD imports a context (@import); only inline contexts are read",
                                 Location(where))
            stack.extend(v for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, dict | list))


def _context(value: Any, where: str, seen: tuple[str, ...]) -> Any:
    """One context value (a URL, an object, a list of those, or null) with no URL left in it."""
    if isinstance(value, str):
        return _context(_bundled(value, where, seen), where, (*seen, value))
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            resolved = _context(item, where, seen)
            out.extend(resolved if isinstance(resolved, list) else [resolved])
        return out
    if isinstance(value, dict):
        return _context_object(value, where, seen)
    return value  # null resets the context; anything else is rdflib's to refuse


def _context_object(ctx: dict[str, Any], where: str, seen: tuple[str, ...]) -> dict[str, Any]:
    """A context definition: its ``@import`` merged in, the scoped contexts of its terms made inline."""
    out: dict[str, Any] = {}
    imported = ctx.get(_IMPORT)
    if imported is not None:
        if not isinstance(imported, str):
            raise InputError("JSON-LD: the value of @import must be a URL", Location(where))
        base = _context(_bundled(imported, where, seen), where, (*seen, imported))
        if not isinstance(base, dict):
            raise InputError(f"JSON-LD: the context imported from {imported} is not one object", Location(where))
        out.update(base)  # the importing context's own entries win, as JSON-LD 1.1 says
    for key, term in ctx.items():
        if key == _IMPORT:
            continue
        if key == _CONTEXT:  # {"@context": ...} wrapped once more: rdflib unwraps it, so it is a context too
            term = _context(term, where, seen)
        elif isinstance(term, dict) and _CONTEXT in term:  # a scoped context in a term definition
            term = {**term, _CONTEXT: _context(term[_CONTEXT], where, seen)}
        out[key] = term
    return out


def _bundled(url: str, where: str, seen: tuple[str, ...]) -> Any:
    """The context of an allow-listed URL, from its bundled file; any other URL is refused, unread."""
    if url in seen:
        raise InputError(f"JSON-LD: the context {url} includes itself", Location(where))
    local = BUNDLED_CONTEXTS.get(url)
    if local is None:
        bundled = ", ".join(sorted(BUNDLED_CONTEXTS)) or "none"
        raise InputError(
            f"JSON-LD names the context {url!r} by reference; remote and file contexts are never fetched. "
            f"Put the context inline (\"@context\": {{...}}) instead. Contexts available by URL: {bundled}",
            Location(where),
        )
    document = json.loads(local.read_text(encoding="utf-8-sig"))
    if not isinstance(document, dict) or _CONTEXT not in document:
        raise InputError(f"JSON-LD: the bundled context for {url} has no @context", Location(where))
    return document[_CONTEXT]
