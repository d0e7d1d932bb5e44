"""The SPARQL 1.1 Protocol: turn an HTTP request into one query or update operation.

GET, POST with a form and POST with the query (or update) as the body all
end in the same ``Operation``; every way a request can break the protocol
is a ProtocolError with the status the protocol asks for and a message
that says what to send instead. Nothing here evaluates SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl

from starlette.requests import Request

from yhdyspinta.api.sparql.negotiation import content_type_of
from yhdyspinta.api.sparql.text import update_has_dataset
from yhdyspinta.errors import ProtocolError

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
ALLOW = "GET, HEAD, POST, OPTIONS"

_QUERY_DATASET = ("default-graph-uri", "named-graph-uri")
_UPDATE_DATASET = ("using-graph-uri", "using-named-graph-uri")


@dataclass(frozen=True)
class Operation:
    """One protocol operation, normalised from whichever way it was sent."""

    kind: Literal["query", "update", "service"]
    text: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def _parse_pairs(text: str, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the {where} is not UTF-8 once percent-decoded: {exc}") from exc


def _utf8(body: bytes, charset: str | None, what: str) -> str:
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(
            f"{what} must be UTF-8 (the protocol allows no other encoding); got charset={charset}", status=415
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"{what} is not valid UTF-8: {exc}", status=400) from exc


async def read_operation(request: Request) -> Operation:
    """The operation a request asks for, or a ProtocolError saying what is wrong."""
    url_pairs = _parse_pairs(request.url.query, "query string")
    method = request.method
    if method in ("GET", "HEAD"):
        if any(k == "update" for k, _ in url_pairs):
            raise ProtocolError("an update must be sent with POST (as a form field or an application/sparql-update "
                                "body), never with GET")
        return _from_pairs(url_pairs, body_text=None, direct=None, allow_service=True)
    if method != "POST":
        raise ProtocolError(f"{method} is not a SPARQL Protocol operation; query with GET or POST, update with POST",
                            status=405, allow=ALLOW)
    ctype, params = content_type_of(request.headers.get("content-type"))
    body = await request.body()
    if ctype == FORM:
        text = _utf8(body, params.get("charset"), "the form body")
        return _from_pairs(url_pairs + _parse_pairs(text, "form body"), body_text=None, direct=None)
    if ctype in (QUERY_TYPE, UPDATE_TYPE):
        kind: Literal["query", "update"] = "query" if ctype == QUERY_TYPE else "update"
        text = _utf8(body, params.get("charset"), f"the {kind} in the body")
        if any(k in ("query", "update") for k, _ in url_pairs):
            raise ProtocolError(f"the {kind} is in the body; do not also send query= or update= in the URL")
        return _from_pairs(url_pairs, body_text=text, direct=kind)
    if not ctype:
        raise ProtocolError(
            f"a POST needs a Content-Type: {FORM} (query= or update= fields), {QUERY_TYPE} or {UPDATE_TYPE}",
            status=415,
        )
    raise ProtocolError(
        f"Content-Type {ctype} is not one the SPARQL Protocol accepts; use {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}",
        status=415,
    )


def _from_pairs(pairs: list[tuple[str, str]], *, body_text: str | None,
                direct: Literal["query", "update"] | None, allow_service: bool = False) -> Operation:
    values: dict[str, list[str]] = {}
    for k, v in pairs:
        values.setdefault(k, []).append(v)
    queries, updates = values.get("query", []), values.get("update", [])
    if direct == "query":
        queries = [body_text or ""]
    elif direct == "update":
        updates = [body_text or ""]
    if queries and updates:
        raise ProtocolError("a request carries either a query or an update, not both")
    if len(queries) > 1 or len(updates) > 1:
        raise ProtocolError(f"the request has {max(len(queries), len(updates))} {'query' if queries else 'update'} "
                            "parameters; send exactly one")
    formats = values.get("format")
    fmt = formats[0] if formats else None
    if queries:
        if any(k in values for k in _UPDATE_DATASET):
            raise ProtocolError("using-graph-uri and using-named-graph-uri belong to updates; "
                                "a query takes default-graph-uri and named-graph-uri")
        text = _non_empty(queries[0], "query")
        return Operation("query", text, tuple(values.get("default-graph-uri", [])),
                         tuple(values.get("named-graph-uri", [])), fmt)
    if updates:
        if any(k in values for k in _QUERY_DATASET):
            raise ProtocolError("default-graph-uri and named-graph-uri belong to queries; "
                                "an update takes using-graph-uri and using-named-graph-uri")
        text = _non_empty(updates[0], "update")
        op = Operation("update", text, tuple(values.get("using-graph-uri", [])),
                       tuple(values.get("using-named-graph-uri", [])))
        if op.has_dataset and update_has_dataset(text):
            raise ProtocolError("the update has USING or WITH clauses and the request also gives using-graph-uri or "
                                "using-named-graph-uri; the protocol forbids both: drop one")
        return op
    if not allow_service:
        raise ProtocolError("the form has neither a query= nor an update= field")
    return Operation("service", format=fmt)


def _non_empty(text: str, what: str) -> str:
    if not text.strip():
        raise ProtocolError(f"the {what} is empty")
    return text
