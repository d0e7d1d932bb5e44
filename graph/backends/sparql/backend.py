"""The sparql back end: the embedded back end's own queries, sent to a remote SPARQL 1.1 store.

The queries are standard SPARQL 1.1 (``graph/backends/embedded/queries/*.rq``), so the remote store
runs the very text the embedded store runs: :class:`SparqlBackend` is the embedded back end's
one-query-per-question form (``QueryBackend``; the scans of ``EmbeddedBackend`` read Oxigraph's own
results and stay local) over a :class:`~yhdyspinta.graph.store.remote.RemoteStore`, whose ``select``
substitutes the bound values as RDF terms and declares the prefixes. The parity tests
(``tests/test_sparql_backend.py``) hold it to the same answers as the embedded store, on Oxigraph
server and on Fuseki TDB2.

The store must read its default graph as the union of its named graphs, as the embedded store
does; :meth:`SparqlBackend.from_settings` checks it and says how to configure it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from yhdyspinta.errors import RemoteStoreError
from yhdyspinta.graph.backends.embedded.backend import QueryBackend
from yhdyspinta.graph.store.remote import RemoteStore
from yhdyspinta.settings import Settings

__all__ = ["SparqlBackend"]


class SparqlBackend(QueryBackend):
    """Answers the analyses' questions from a remote SPARQL 1.1 store."""

    name = "sparql"

    def __init__(self, store: RemoteStore, *, as_of: date | None = None) -> None:
        super().__init__(store, as_of=as_of)
        self.remote = store

    def at(self, day: date | None) -> SparqlBackend:
        """The same store, read as it stood on ``day``."""
        return SparqlBackend(self.remote, as_of=day)

    @classmethod
    @contextmanager
    def from_settings(cls, settings: Settings, *, as_of: date | None = None) -> Iterator[SparqlBackend]:
        """The store of ``YHDYSPINTA_SPARQL_*``, checked to answer and to hold our data; closed after."""
        with RemoteStore.from_settings(settings) as store:
            store.check_union()
            if not store.sources():
                raise RemoteStoreError(
                    f"the SPARQL store at {store.url} holds no yhdyspinta data (no source records in "
                    "the metadata graph): run `yhdyspinta ingest --target sparql` first"
                )
            yield cls(store, as_of=as_of)
