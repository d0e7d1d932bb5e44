"""One exception hierarchy for the whole product.

Every error a user can cause is a ``YhdyspintaError``; each subclass knows its
CLI exit code and HTTP status, so the CLI and the API map them in one place.
Errors about input carry the file, the line or row, and the node, because a
data steward must be able to find and fix the cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class YhdyspintaError(Exception):
    """Base of every error the product raises on purpose."""

    exit_code: int = 1
    http_status: int = 500


@dataclass(frozen=True)
class Location:
    """Where in the input a problem is: a file, and a line or a row, and a node."""

    file: str
    line: int | None = None
    row: int | None = None
    node: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.node:
            where += f" ({self.node})"
        return where


class InputError(YhdyspintaError):
    """A source cannot be read: unknown format, syntax error, bad table."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


@dataclass(frozen=True)
class Violation:
    """One broken rule: where, which rule, and what the rule says."""

    location: Location
    rule: str
    message: str
    path: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        parts = [f"{self.location}: {self.message}"]
        if self.path:
            parts.append(f"property {self.path}")
        if self.value:
            parts.append(f"value {self.value}")
        parts.append(f"rule {self.rule}")
        return "; ".join(parts)


@dataclass
class ValidationError(YhdyspintaError):
    """A source broke the shapes or the privacy rule; nothing was written."""

    violations: list[Violation] = field(default_factory=list)

    exit_code = 3
    http_status = 422

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self, limit: int = 20) -> str:
        lines = [f"{len(self.violations)} violation(s); nothing was written:"]
        lines += [f"  - {v}" for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"  ... and {len(self.violations) - limit} more")
        return "\n".join(lines)


class NotFoundError(YhdyspintaError):
    """The thing asked for (a region, a source, an entity) is not in the graph."""

    exit_code = 4
    http_status = 404


class StoreError(YhdyspintaError):
    """The store cannot be opened or written (locked, corrupt, missing)."""

    exit_code = 5
    http_status = 503


class StoreBusyError(StoreError):
    """Another process (``yhdyspinta serve``, an ingest) holds the store for writing; ``holder`` says which."""

    def __init__(self, message: str, *, holder: dict[str, object] | None = None) -> None:
        self.holder = holder or {}
        super().__init__(message)


class QueryError(YhdyspintaError):
    """A SPARQL query is malformed or cannot be evaluated."""

    exit_code = 2
    http_status = 400


class Neo4jError(YhdyspintaError):
    """Neo4j is unreachable, refuses the credentials, or failed during a sync or a query.

    The message names the server (``NEO4J_URI``) and what to do; a sync cut off half-way
    says so, and the next sync repairs it.
    """

    exit_code = 6
    http_status = 503


class ProtocolError(YhdyspintaError):
    """An HTTP request breaks the SPARQL 1.1 Protocol or the Graph Store Protocol.

    ``http_status`` is set per case: 400 (bad parameters), 405 (method),
    415 (media type or charset); ``allow`` lists the methods for a 405.
    """

    exit_code = 2

    def __init__(self, message: str, *, status: int = 400, allow: str | None = None) -> None:
        self.http_status = status
        self.allow = allow
        super().__init__(message)


class QueryTimeoutError(YhdyspintaError):
    """A query ran past the endpoint's time limit and was stopped on the server."""

    exit_code = 2
    http_status = 503


class AuthError(YhdyspintaError):
    """A write without the data stewards' credential (401), or with writes turned off (403)."""

    exit_code = 2

    def __init__(self, message: str, *, status: int = 401) -> None:
        self.http_status = status
        super().__init__(message)


class UsageError(YhdyspintaError):
    """A command line that cannot work as given (an option missing or out of place); like a mistyped option."""

    exit_code = 2
    http_status = 400


class ConfigError(YhdyspintaError):
    """A setting that cannot work (for example a write token no request could send); found at start."""

    exit_code = 2
    http_status = 500


class RemoteStoreError(YhdyspintaError):
    """A remote SPARQL 1.1 store (``--backend sparql``, ``ingest --target sparql``) failed.

    The base of the three below, and what is raised when the store answers a request with an
    error of its own (HTTP 4xx/5xx). Messages name the endpoint URL, never its credentials.
    """

    exit_code = 7
    http_status = 502


class RemoteUnavailableError(RemoteStoreError):
    """The remote SPARQL store cannot be reached (down, wrong host or port, refused connection)."""

    http_status = 503


class RemoteAuthError(RemoteStoreError):
    """The remote SPARQL store refused the credentials (HTTP 401 or 403)."""

    exit_code = 8


class RemoteTimeoutError(RemoteStoreError):
    """The remote SPARQL store did not answer within the time limit."""

    exit_code = 9
    http_status = 504


#: Every exit code of the CLI and what it means: the one table docs/cli.md and scripts rely on.
#: Each error class above carries one of these (tests/test_cli_usage.py checks that none is missing).
EXIT_CODES: dict[int, str] = {
    0: "ok",
    1: "error: something failed that is none of the below",
    2: "usage error: unknown command or option, bad value, unreadable input file, malformed query",
    3: "validation failed: a source broke the shapes or the privacy rule; nothing was written",
    4: "not found: the region, theme, source or entity asked for is not in the graph",
    5: "store unavailable: it cannot be opened or written (e.g. `yhdyspinta serve` holds it for writing)",
    6: "Neo4j unavailable: unreachable, credentials refused, a sync cut off; `neo4j status`: no local server runs",
    7: "remote SPARQL store failed: unreachable, or it answered with an error of its own",
    8: "remote SPARQL store refused the credentials",
    9: "remote SPARQL store did not answer in time",
    130: "interrupted (Ctrl-C)",
}
