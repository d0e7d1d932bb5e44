"""What responses may say about the server: source names without filesystem paths, links without Host.

The store records each source by the absolute path it was ingested from
(graph/store/store.py, so that ingesting it again replaces its graph). Over HTTP
that path would tell anyone the server's directory layout, user name and
install location, so the API edge shows this instead:

* a bundled source: its path under the bundled data folder
  (``paijat-hame/networks.ttl``), or ``ontology/<file>`` for the ontology;
* any other file or folder: just its name (``networks.ttl``);
* a name that is no filesystem path (an HTTP write is recorded as
  ``http:sparql-update:<graph>``): unchanged.

Links to the server itself come from ``Settings.public_url`` (YHDYSPINTA_PUBLIC_URL) or are relative;
the Host header, which any client sets as it likes, is never read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from yhdyspinta.ontology.namespaces import GRAPH

_BUNDLED = f"{GRAPH}bundled/"
_ONTOLOGY = f"{GRAPH}ontology/"
#: a host name or an IP address (v4 or v6), as an ASGI server reports its own socket; a socket path is none
_HOST = re.compile(r"[A-Za-z0-9.-]+|[0-9A-Fa-f:.]+")


@lru_cache(maxsize=1)
def _roots() -> tuple[tuple[PurePosixPath, str], ...]:
    """The bundled folders (as this installation has them) and the public prefix of each."""
    from yhdyspinta.ingest.bundle import data_dir
    from yhdyspinta.ontology.files import ONTOLOGY_FILES, ORG_FILE

    ontology = {p.resolve().parent for p in (*ONTOLOGY_FILES, ORG_FILE)}
    return ((PurePosixPath(data_dir().resolve()), ""),
            *((PurePosixPath(o), "ontology/") for o in sorted(ontology)))


def _absolute(path: str) -> bool:
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute() or path.startswith("~")


def public_source(path: str, graph: str | None = None) -> str:
    """``path`` as a response may show it: relative to the bundled data, or the bare file name.

    ``graph`` (the source's named graph) names bundled sources even when the store was built by
    another installation, whose paths match no folder here.
    """
    if graph and graph.startswith(_BUNDLED):
        return graph[len(_BUNDLED):]
    if graph and graph.startswith(_ONTOLOGY):
        return "ontology/" + graph[len(_ONTOLOGY):]
    if not _absolute(path):
        return path
    posix = PurePosixPath(path)
    for root, prefix in _roots():
        if posix.is_relative_to(root) and posix != root:
            return prefix + posix.relative_to(root).as_posix()
    name = PureWindowsPath(path).name if PureWindowsPath(path).is_absolute() else Path(path).name
    return name or "source"


def public_link(public_url: str | None, root_path: str, path: str) -> str:
    """A link to ``path`` on this server: under the configured public URL, else relative to the root.

    Never from the request's Host header, which the client chooses: a forged Host would otherwise end
    up in links that caches and other readers of the response trust.
    """
    path = path.lstrip("/")
    if public_url:
        return public_url.rstrip("/") + "/" + path
    return root_path.rstrip("/") + "/" + path


def endpoint_iri(public_url: str | None, scope: Mapping[str, Any], path: str) -> str:
    """An absolute IRI for ``path`` where RDF needs one (the service description's ``sd:endpoint``).

    The configured public URL if set; else the address the connection was accepted on (the ASGI
    ``server`` of the socket, e.g. ``http://127.0.0.1:8000/``), which the client cannot forge. A
    server on a Unix socket (``[path, None]``) has no such address and gets a relative IRI, so its
    socket path stays private.
    """
    root = str(scope.get("root_path") or "")
    if public_url:
        return public_link(public_url, root, path)
    server = scope.get("server")
    if isinstance(server, tuple | list) and len(server) == 2 and _HOST.fullmatch(str(server[0])):
        host, port = str(server[0]), server[1]
        scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
        shown = f"[{host}]" if ":" in host else host
        default = port is None or (scheme, port) in (("http", 80), ("https", 443))
        return public_link(f"{scheme}://{shown}{'' if default else f':{port}'}{root.rstrip('/')}/", "", path)
    return public_link(None, root, path)
