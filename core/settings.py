"""Settings: one typed object built from defaults and the environment.

It is passed explicitly to whatever needs it; nothing reads the environment
deep inside the code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

#: The start of every IRI of the product (ontology/namespaces.py builds the namespaces from it).
DEFAULT_BASE_IRI = "https://w3id.org/yhdyspinta/"
#: The back end the analyses run on unless told otherwise (graph/backends/registry.py knows the names).
DEFAULT_BACKEND = "embedded"


def default_home() -> Path:
    """The user's data directory for yhdyspinta (XDG on Linux)."""
    return Path(platformdirs.user_data_dir("yhdyspinta", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with sensible defaults.

    ``home`` holds the embedded store (``home/store``) and the Neo4j
    launcher's working area (``home/neo4j``).
    """

    home: Path = field(default_factory=default_home)
    base_iri: str = DEFAULT_BASE_IRI
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    write_token: str | None = None
    #: seconds a SPARQL query or update may run before its worker process is killed
    query_timeout: float = 30.0
    #: the most rows (or triples) one SPARQL answer carries; more are cut (X-SPARQL-MaxRows)
    result_limit: int = 10_000
    #: worker processes that evaluate SPARQL for the HTTP server
    query_workers: int = 2
    #: after a write through the server, keep what the national analyses read (`yhdyspinta keep`, in a
    #: process of its own: api/http/keeper.py); YHDYSPINTA_KEEP_AFTER_WRITE=0 turns it off
    keep_after_write: bool = True
    #: origins allowed by CORS, comma-separated in YHDYSPINTA_CORS_ORIGINS ("*" = any)
    cors_origins: tuple[str, ...] = ("*",)
    #: the largest request body the HTTP server reads (an upload, a query), in bytes
    max_body_bytes: int = 32 * 1024 * 1024
    #: seconds a client has to send a request's headers, and the longest pause inside its body
    request_timeout: float = 10.0
    #: the server's public address (YHDYSPINTA_PUBLIC_URL, e.g. https://yhdyspinta.example.fi/), for absolute
    #: links in responses; unset, links are relative and never built from the request's Host header
    public_url: str | None = None
    #: where the analyses run (YHDYSPINTA_BACKEND): embedded or neo4j; SPARQL always uses the store
    backend: str = DEFAULT_BACKEND
    #: a remote SPARQL 1.1 store (``--backend sparql``, ``ingest --target sparql``): its query endpoint
    #: (YHDYSPINTA_SPARQL_QUERY), update endpoint (…_UPDATE) and Graph Store Protocol endpoint (…_GSP)
    sparql_query: str | None = None
    sparql_update: str | None = None
    sparql_gsp: str | None = None
    #: basic auth (YHDYSPINTA_SPARQL_USER, …_PASSWORD) or a bearer token (…_TOKEN) for the remote store
    sparql_user: str | None = None
    sparql_password: str | None = field(default=None, repr=False)
    sparql_token: str | None = field(default=None, repr=False)

    @property
    def store_path(self) -> Path:
        return self.home / "store"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``YHDYSPINTA_*`` and ``NEO4J_*`` variables."""
        env = os.environ if env is None else env
        home = Path(env["YHDYSPINTA_HOME"]).expanduser() if env.get("YHDYSPINTA_HOME") else None
        return cls(
            home=home or default_home(),
            base_iri=env.get("YHDYSPINTA_BASE_IRI", DEFAULT_BASE_IRI),
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            write_token=env.get("YHDYSPINTA_WRITE_TOKEN") or None,
            query_timeout=float(env.get("YHDYSPINTA_QUERY_TIMEOUT") or 30.0),
            result_limit=int(env.get("YHDYSPINTA_RESULT_LIMIT") or 10_000),
            query_workers=int(env.get("YHDYSPINTA_QUERY_WORKERS") or 2),
            keep_after_write=(env.get("YHDYSPINTA_KEEP_AFTER_WRITE") or "1").strip().lower() not in ("0", "false"),
            request_timeout=float(env.get("YHDYSPINTA_REQUEST_TIMEOUT") or 10.0),
            max_body_bytes=int(float(env.get("YHDYSPINTA_MAX_UPLOAD_MB") or 32) * 1024 * 1024),
            public_url=_public_url(env.get("YHDYSPINTA_PUBLIC_URL")),
            backend=env.get("YHDYSPINTA_BACKEND") or DEFAULT_BACKEND,
            sparql_query=env.get("YHDYSPINTA_SPARQL_QUERY") or None,
            sparql_update=env.get("YHDYSPINTA_SPARQL_UPDATE") or None,
            sparql_gsp=env.get("YHDYSPINTA_SPARQL_GSP") or None,
            sparql_user=env.get("YHDYSPINTA_SPARQL_USER") or None,
            sparql_password=env.get("YHDYSPINTA_SPARQL_PASSWORD") or None,
            sparql_token=env.get("YHDYSPINTA_SPARQL_TOKEN") or None,
            cors_origins=tuple(
                o.strip() for o in (env.get("YHDYSPINTA_CORS_ORIGINS") or "*").split(",") if o.strip()
            ),
        )


def _public_url(value: str | None) -> str | None:
    """The configured public URL with one trailing slash, or None when unset or blank."""
    value = (value or "").strip()
    return value.rstrip("/") + "/" if value else None
