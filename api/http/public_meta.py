"""The store's bookkeeping graph as partners may read it: without the server's file paths.

The metadata graph records each source by its absolute path (``yhd:sourcePath``),
which the ingest needs to recognise a source it has seen. Whatever anonymous
clients read (the query snapshots, ``/dump``, the Graph Store) gets the public
name instead (api/render/public_paths.py): the path under the bundled data,
or the bare file name. The live store keeps the real paths.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from yhdyspinta.api.render.public_paths import public_source
from yhdyspinta.ontology.namespaces import META_GRAPH, YHD

_META = ox.NamedNode(str(META_GRAPH))
_SOURCE_PATH = ox.NamedNode(str(YHD.sourcePath))
_GRAPH = ox.NamedNode(str(YHD.graph))


def public_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads with every ``yhd:sourcePath`` replaced by its public name."""
    pending = list(quads)
    graph_of = {q.subject: q.object.value for q in pending
                if q.predicate == _GRAPH and isinstance(q.object, ox.NamedNode | ox.Literal)}
    for q in pending:
        if q.predicate == _SOURCE_PATH and isinstance(q.object, ox.Literal):
            graph = graph_of.get(q.subject)
            if graph is None and isinstance(q.subject, ox.NamedNode):
                graph = q.subject.value  # a source record's subject is its graph
            yield ox.Quad(q.subject, q.predicate, ox.Literal(public_source(q.object.value, graph)), q.graph_name)
        else:
            yield q


def meta_quads(store: ox.Store) -> list[ox.Quad]:
    """The metadata graph of ``store``, paths made public."""
    return list(public_quads(store.quads_for_pattern(None, None, None, _META)))


def scrub_checkpoint(path: Path) -> None:
    """Replace the paths in a fresh checkpoint (its own files: RocksDB never rewrites the linked ones)."""
    store = ox.Store(str(path))
    try:
        old = list(store.quads_for_pattern(None, _SOURCE_PATH, None, _META))
        if old:
            new = list(public_quads(store.quads_for_pattern(None, None, None, _META)))
            store.remove_graph(_META)
            store.extend(new)
            store.flush()
    finally:
        del store
