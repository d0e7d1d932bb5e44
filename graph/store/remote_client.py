"""A client of a remote SPARQL 1.1 store: the Protocol (query, update) and the Graph Store Protocol.

What ``--backend sparql`` and ``ingest --target sparql`` talk to: Oxigraph server, Apache Jena
Fuseki, or a partner's store, at the URLs of ``YHDYSPINTA_SPARQL_QUERY`` / ``_UPDATE`` / ``_GSP``.
It lives in the store layer, not beside the back end, because ingest (which may not import a
back end) writes through it too.

**Values are substituted as RDF terms, never pasted as text.** A query of ours binds variables
(``Store.select(text, {"day": Literal(...)})``); over HTTP there is no binding, so
:func:`substitute` rewrites the query as SEP-0007 (which Oxigraph follows) describes: each bound
variable is replaced by the N-Triples form of its term (written by pyoxigraph, whose constructors
checked it), in the SELECT clause by ``(term AS ?var)``, so that the answer still has the column,
and in ORDER BY or GROUP BY by ``(term)``. Only variable tokens are touched: strings, IRIs and
sub-selects are left as they are (Oxigraph's substitution does not reach sub-selects either).

Every failure is a :class:`~yhdyspinta.errors.RemoteStoreError` naming the endpoint URL with its
credentials removed: the store down (RemoteUnavailableError), the credentials refused
(RemoteAuthError), no answer in time (RemoteTimeoutError), or the store's own error message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from yhdyspinta.errors import (
    ConfigError,
    RemoteAuthError,
    RemoteStoreError,
    RemoteTimeoutError,
    RemoteUnavailableError,
)
from yhdyspinta.graph.store.sparql import Term
from yhdyspinta.ontology.namespaces import SPARQL_PREFIXES
from yhdyspinta.settings import Settings

__all__ = ["Endpoints", "SparqlClient", "public_url", "python_value", "substitute"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {f"{_XSD}{t}" for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_DECIMAL_TYPES = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}
_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
#: the most of a store's error message that goes into ours
_DETAIL = 300


def public_url(url: str) -> str:
    """``url`` without user name and password, fit for a message or a log."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers, and how to sign in; credentials never shown in ``repr``."""

    query: str
    update: str | None = None
    gsp: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoints:
        """The endpoints of ``YHDYSPINTA_SPARQL_*``; ConfigError if the query endpoint is unset."""
        if not settings.sparql_query:
            raise ConfigError(
                "the sparql back end needs a query endpoint: set YHDYSPINTA_SPARQL_QUERY "
                "(e.g. http://127.0.0.1:7878/query for Oxigraph server)"
            )
        if settings.sparql_token and settings.sparql_user:
            raise ConfigError("set YHDYSPINTA_SPARQL_TOKEN or YHDYSPINTA_SPARQL_USER, not both")
        for url in (settings.sparql_query, settings.sparql_update, settings.sparql_gsp):
            if url and urlsplit(url).scheme not in ("http", "https"):
                raise ConfigError(f"not an http(s) URL for a SPARQL endpoint: {public_url(url)}")
        return cls(
            query=settings.sparql_query, update=settings.sparql_update, gsp=settings.sparql_gsp,
            user=settings.sparql_user, password=settings.sparql_password, token=settings.sparql_token,
            timeout=settings.query_timeout,
        )


def _auth(endpoints: Endpoints) -> tuple[httpx.Auth | None, dict[str, str]]:
    """Basic auth, or the header of a bearer token (httpx sends neither over a redirect: none is followed)."""
    if endpoints.token:
        return None, {"Authorization": f"Bearer {endpoints.token}"}
    if endpoints.user:
        return httpx.BasicAuth(endpoints.user, endpoints.password or ""), {}
    return None, {}


class SparqlClient:
    """One HTTP connection pool to a remote store; close it (or use ``with``) when done."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints
        auth, headers = _auth(endpoints)
        self._http = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(endpoints.timeout, connect=min(endpoints.timeout, 10.0)),
            headers={"User-Agent": "yhdyspinta", **headers},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SparqlClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the SPARQL 1.1 Protocol -------------------------------------------

    def select(self, query: str) -> tuple[list[str], list[dict[str, Any]]]:
        """Run a SELECT; its variables and its rows (name -> JSON term, unbound names absent)."""
        data = self._results(query)
        if "results" not in data:
            raise RemoteStoreError(f"{self._where(self.endpoints.query)} answered a query for rows without results")
        names = list(data.get("head", {}).get("vars", []))
        return names, list(data["results"].get("bindings", []))

    def ask(self, query: str) -> bool:
        data = self._results(query)
        if "boolean" not in data:
            raise RemoteStoreError(f"{self._where(self.endpoints.query)} answered a yes/no query without a boolean")
        return bool(data["boolean"])

    def construct(self, query: str) -> bytes:
        """Run a CONSTRUCT; the triples as N-Triples."""
        response = self._send("POST", self.endpoints.query, data={"query": query}, headers={"Accept": _NTRIPLES})
        return response.content

    def update(self, text: str) -> None:
        """Run a SPARQL Update (one request: the store runs it as one transaction, as 1.1 says it should)."""
        url = self._need("update", self.endpoints.update, "YHDYSPINTA_SPARQL_UPDATE")
        self._send("POST", url, data={"update": text})

    def _results(self, query: str) -> dict[str, Any]:
        response = self._send("POST", self.endpoints.query, data={"query": query},
                              headers={"Accept": _RESULTS_JSON})
        try:
            data = response.json()
        except ValueError as exc:
            raise RemoteStoreError(
                f"{self._where(self.endpoints.query)} did not answer SPARQL JSON results "
                f"(Content-Type {response.headers.get('content-type')!r})"
            ) from exc
        if not isinstance(data, dict):
            raise RemoteStoreError(f"{self._where(self.endpoints.query)} answered JSON that is not SPARQL results")
        return data

    # -- the Graph Store Protocol ------------------------------------------

    @property
    def has_gsp(self) -> bool:
        return self.endpoints.gsp is not None

    def get_graph(self, graph: str) -> bytes | None:
        """The triples of ``graph`` as N-Triples; None when the store has no such graph (404)."""
        url = self._need("graph store", self.endpoints.gsp, "YHDYSPINTA_SPARQL_GSP")
        response = self._send("GET", url, params={"graph": graph}, headers={"Accept": _NTRIPLES}, missing_ok=True)
        return None if response.status_code == 404 else response.content

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace ``graph`` with ``ntriples`` (HTTP PUT)."""
        url = self._need("graph store", self.endpoints.gsp, "YHDYSPINTA_SPARQL_GSP")
        self._send("PUT", url, params={"graph": graph}, content=ntriples,
                   headers={"Content-Type": _NTRIPLES})

    def delete_graph(self, graph: str) -> None:
        """Remove ``graph`` (HTTP DELETE); a graph that is not there is not an error."""
        url = self._need("graph store", self.endpoints.gsp, "YHDYSPINTA_SPARQL_GSP")
        self._send("DELETE", url, params={"graph": graph}, missing_ok=True)

    # -- HTTP and its failures ---------------------------------------------

    def _need(self, what: str, url: str | None, variable: str) -> str:
        if url is None:
            raise ConfigError(f"writing to the remote store needs its {what} endpoint: set {variable}")
        return url

    def _where(self, url: str) -> str:
        return f"the SPARQL store at {public_url(url)}"

    def _send(self, method: str, url: str, *, missing_ok: bool = False, **kwargs: Any) -> httpx.Response:
        where = self._where(url)
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise RemoteTimeoutError(
                f"{where} did not answer within {self.endpoints.timeout:g} s "
                f"(YHDYSPINTA_QUERY_TIMEOUT): {type(exc).__name__}"
            ) from exc
        except httpx.TransportError as exc:
            raise RemoteUnavailableError(
                f"{where} cannot be reached ({type(exc).__name__}: {_first_line(exc)}); is it running?"
            ) from exc
        status = response.status_code
        if status in (401, 403):
            raise RemoteAuthError(
                f"{where} refused the credentials (HTTP {status}): check YHDYSPINTA_SPARQL_USER and "
                "YHDYSPINTA_SPARQL_PASSWORD, or YHDYSPINTA_SPARQL_TOKEN"
            )
        if status == 404 and missing_ok:
            return response
        if status >= 400:
            detail = " ".join(response.text[:_DETAIL].split())
            hint = " (is the URL the store's endpoint?)" if status in (404, 405) else ""
            raise RemoteStoreError(f"{where} refused a {method} (HTTP {status}){hint}: {detail}")
        return response


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:_DETAIL] if text else "no detail"


def python_value(term: Mapping[str, str] | None) -> Any:
    """A SPARQL JSON term as the embedded store gives it (``store.to_python``): IRIs and blank
    nodes as strings, numbers and booleans as Python values, other literals as their text."""
    if term is None:
        return None
    value = term["value"]
    if term.get("type") not in ("literal", "typed-literal"):
        return value
    datatype = term.get("datatype")
    try:
        if datatype in _INTEGER_TYPES:
            return int(value)
        if datatype in _DECIMAL_TYPES:
            return float(value)
        if datatype == f"{_XSD}boolean":
            return value in ("true", "1")
    except ValueError:
        return value
    return value


# -- substitution of bound variables --------------------------------------------

_TOKEN = re.compile(
    r"""(?P<skip>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
          |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"
          |<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*)
       |(?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
       |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
       |(?P<open>[{(])|(?P<close>[})])""",
    re.VERBOSE,
)


def substitute(query: str, bind: Mapping[str, Term] | None) -> str:
    """``query`` with each variable of ``bind`` replaced by its term (SEP-0007), and the
    product's prefixes declared: what the embedded store's ``select(query, bind)`` runs."""
    if not bind:
        return SPARQL_PREFIXES + query
    terms = {name: str(term) for name, term in bind.items()}
    out: list[str] = []
    last = 0
    depth = 0  # of { }
    parens = 0  # of ( ) inside the main SELECT clause
    projecting = False  # between the main SELECT and its WHERE or {
    seen_select = False
    sub_at: int | None = None  # the brace depth a sub-select opened at
    for found in _TOKEN.finditer(query):
        kind, text = found.lastgroup, found.group()
        if kind == "word":
            upper = text.upper()
            if upper == "SELECT":
                if not seen_select and depth == 0:
                    seen_select, projecting = True, True
                elif depth > 0 and sub_at is None:
                    sub_at = depth
            elif upper == "WHERE" and projecting:
                projecting = False
            continue
        if kind == "open":
            if text == "{":
                projecting = False
                depth += 1
            elif projecting:
                parens += 1
            continue
        if kind == "close":
            if text == "}":
                if sub_at is not None and depth == sub_at:
                    sub_at = None
                depth -= 1
            elif projecting:
                parens -= 1
            continue
        if kind != "var" or sub_at is not None or text[1:] not in terms:
            continue
        term = terms[text[1:]]
        out.append(query[last:found.start()])
        if projecting and parens == 0:
            out.append(f"({term} AS ?{text[1:]})")
        elif depth == 0 and not projecting:  # ORDER BY, GROUP BY: a constant as a bracketted expression
            out.append(f"({term})")
        else:
            out.append(term)
        last = found.end()
    out.append(query[last:])
    return SPARQL_PREFIXES + "".join(out)
