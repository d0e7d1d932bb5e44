"""The RDF -> property-graph mapping of the Neo4j sync: records from quads, no Neo4j I/O.

It follows neosemantics (n10s) where its conventions serve, so that Cypher written for
n10s-imported graphs reads ours: every IRI is a ``:Resource`` node keyed by ``uri``
(n10s ``handleVocabUris: IGNORE``: labels, property keys and relationship types are local
names); ``rdf:type`` becomes labels (n10s ``handleRDFTypes: LABELS``), here with every
superclass from ``rdfs:subClassOf`` too. Where n10s would lose information we add:

- ``graphs``: the named graphs (sources) that assert something about a node or a
  relationship, so that a source can be removed or replaced in Neo4j alone;
- ``types``: the asserted ``rdf:type`` IRIs, because labels are local names
  (``prov:Location`` and ``dcterms:Location`` are both ``:Location``);
- language-tagged literals keyed ``<local>_<lang>`` (``prefLabel_fi``), one key per
  language, rather than n10s's ``"text@fi"`` strings that every query must parse;
- multi-valued properties: predicates that are multi-valued by nature (``MULTIVALUED``)
  are always lists; any other property is a single value, and a sorted list only when the
  data gives one node several values for it (counted as a conflict in the report);
- blank nodes keyed ``bnode://<hash>`` by their content within their graph, so that the
  key survives a re-ingest that renumbers blank nodes.

Everything here is a pure function of the store's content, so that a node's Neo4j form
can be recomputed at any time: that is what makes the sync idempotent and repairable.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

import pyoxigraph as ox

from yhdyspinta.ontology.namespaces import DCTERMS, RDF, RDFS, SKOS, YHD

RESOURCE = "Resource"
BNODE_SCHEME = "bnode://"
#: Bump when the mapping changes: a sync then rewrites every node.
MAPPING_VERSION = 1
RDF_TYPE = str(RDF.type)
SUBCLASS_OF = str(RDFS.subClassOf)
#: Property keys the mapping itself uses; a predicate with such a local name gets a ``_``.
RESERVED = frozenset({"uri", "graphs", "types"})

#: Predicates whose values are always a list, even when a node has one value.
MULTIVALUED = frozenset(
    str(p)
    for p in (
        SKOS.altLabel, SKOS.hiddenLabel, SKOS.note, SKOS.scopeNote, SKOS.definition,
        SKOS.example, SKOS.editorialNote, SKOS.changeNote, SKOS.historyNote,
        RDFS.comment, YHD.note, YHD.requirement, YHD.benefit, DCTERMS.language,
    )
)

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
)
_FLOATS = frozenset(_XSD + t for t in ("decimal", "double", "float"))
_INT64 = 2**63

Value = str | int | float | bool | date | datetime


class NodeRecord(NamedTuple):
    """One node as Neo4j stores it: labels besides ``Resource``, and every property.

    Named tuples, not dataclasses: a national-scale sync makes hundreds of thousands.
    """

    uri: str
    labels: tuple[str, ...]
    props: dict[str, Any]


class RelRecord(NamedTuple):
    """One relationship: one (subject, predicate, object) triple, asserted by ``graphs``."""

    start: str
    type: str
    end: str
    graphs: tuple[str, ...]


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#``, ``/`` or ``:`` (n10s IGNORE)."""
    stem = iri.rstrip("#/")
    for sep in ("#", "/", ":"):
        if sep in stem:
            return stem.rsplit(sep, 1)[1] or stem
    return stem


def property_key(predicate: str, language: str | None = None) -> str:
    """``prefLabel`` for plain literals, ``prefLabel_fi`` for ``@fi``, ``prefLabel_sv_fi`` for ``@sv-FI``."""
    key = local_name(predicate)
    if key in RESERVED:
        key += "_"
    if language:
        key += "_" + language.lower().replace("-", "_")
    return key


def literal_value(literal: ox.Literal) -> Value:
    """A literal as the Neo4j value the driver sends: numbers, booleans, dates are typed.

    ``xsd:gYear`` and other types without a Neo4j counterpart, and lexical forms that do
    not parse, stay strings.
    """
    text = literal.value
    if literal.language:
        return text
    dt = literal.datatype.value
    try:
        if dt in _INTEGERS:
            number = int(text)
            return number if -_INT64 <= number < _INT64 else text
        if dt in _FLOATS:
            return float(text)
        if dt == _XSD + "boolean":
            return text.strip() in ("true", "1")
        if dt == _XSD + "date":
            return date.fromisoformat(text)
        if dt == _XSD + "dateTime":
            return datetime.fromisoformat(text)
    except ValueError:
        return text
    return text


def superclass_closure(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Class IRI -> every class above it (transitive ``rdfs:subClassOf``, cycles allowed)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for sub, sup in pairs:
        if sub != sup:
            parents[sub].add(sup)
    closure: dict[str, frozenset[str]] = {}
    for cls in parents:
        seen: set[str] = set()
        todo = list(parents[cls])
        while todo:
            nxt = todo.pop()
            if nxt not in seen:
                seen.add(nxt)
                todo.extend(parents.get(nxt, ()))
        seen.discard(cls)
        closure[cls] = frozenset(seen)
    return closure


def schema_fingerprint(closure: Mapping[str, frozenset[str]]) -> str:
    """A digest of the label-relevant schema: when it changes, every node is relabelled."""
    lines = sorted(f"{c} {' '.join(sorted(sups))}" for c, sups in closure.items())
    lines.append(f"mapping {MAPPING_VERSION}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def blank_keys(graph: str, triples: Iterable[tuple[Any, Any, Any]]) -> dict[str, str]:
    """Blank node id -> a key from its content in ``graph``: stable across re-ingests.

    A blank node is known by its outgoing triples (nested blank nodes by their own keys);
    one with none, by the triples that point to it. Blank nodes with identical content in
    one graph share a key: they are one node in Neo4j, as RDF semantics allows.
    """
    out: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    incoming: dict[str, list[str]] = defaultdict(list)
    for s, p, o in triples:
        if isinstance(s, ox.BlankNode):
            out[s.value].append((p.value, o))
        if isinstance(o, ox.BlankNode):
            source = str(s) if isinstance(s, ox.NamedNode) else "_"
            incoming[o.value].append(f"^{p.value} {source}")
    memo: dict[str, str] = {}

    def digest(node: str, path: frozenset[str]) -> str:
        if node in memo:
            return memo[node]
        if node in path:
            return "cycle"
        parts = [
            f"{p} _:{digest(o.value, path | {node})}" if isinstance(o, ox.BlankNode) else f"{p} {o}"
            for p, o in out.get(node, ())
        ] or incoming.get(node, [])
        text = graph + "\n" + "\n".join(sorted(parts))
        memo[node] = hashlib.sha256(text.encode()).hexdigest()[:32]
        return memo[node]

    return {b: BNODE_SCHEME + digest(b, frozenset()) for b in (*out, *incoming)}


class _Node:
    __slots__ = ("graphs", "types", "props", "links")

    def __init__(self) -> None:
        self.graphs: set[str] = set()
        self.types: set[str] = set()
        self.props: dict[str, set[tuple[str, Value]]] = {}
        self.links: dict[tuple[str, str], set[str]] = {}


class GraphBuilder:
    """Accumulates quads and turns them into node and relationship records.

    Feed it whole graphs (``only=None``) for a full build, or the quads of the nodes a
    change touches (``only`` = their keys) for an incremental one: a node's record is then
    built from every quad about it, whichever graph asserts it.
    """

    def __init__(self, closure: Mapping[str, frozenset[str]]) -> None:
        self.closure = closure
        self._nodes: dict[str, _Node] = {}
        self._multi: set[str] = set()
        self._keys: dict[tuple[str, str | None], str] = {}
        self._types: dict[str, str] = {}

    def _node(self, key: str) -> _Node:
        node = self._nodes.get(key)
        if node is None:
            node = self._nodes[key] = _Node()
        return node

    def add(
        self,
        graph: str,
        triples: Iterable[tuple[Any, Any, Any]],
        bnodes: Mapping[str, str],
        only: set[str] | None = None,
    ) -> int:
        """Add the triples of ``graph``; with ``only``, just what concerns those keys.

        Returns the number of triples read.
        """
        count = 0
        for s, p, o in triples:
            count += 1
            skey = s.value if isinstance(s, ox.NamedNode) else bnodes[s.value]
            pred = p.value
            if isinstance(o, ox.Literal):
                if only is None or skey in only:
                    self._literal(graph, skey, pred, o)
                continue
            okey = o.value if isinstance(o, ox.NamedNode) else bnodes[o.value]
            if pred == RDF_TYPE:
                if only is None or skey in only:
                    node = self._node(skey)
                    node.graphs.add(graph)
                    if isinstance(o, ox.NamedNode):
                        node.types.add(okey)
                continue
            if only is None or skey in only:
                self.link(graph, skey, pred, okey)
            elif okey in only:
                self.mention(graph, okey)
        return count

    def _literal(self, graph: str, skey: str, pred: str, literal: ox.Literal) -> None:
        node = self._node(skey)
        node.graphs.add(graph)
        cache = (pred, literal.language)
        key = self._keys.get(cache)
        if key is None:
            key = self._keys[cache] = property_key(pred, literal.language)
            if pred in MULTIVALUED:
                self._multi.add(key)
        value = literal_value(literal)
        node.props.setdefault(key, set()).add((type(value).__name__, value))

    def link(self, graph: str, skey: str, pred: str, okey: str) -> None:
        """A relationship triple: the subject's outgoing link, and the object is mentioned."""
        nodes = self._nodes
        node = nodes.get(skey) or self._node(skey)
        node.graphs.add(graph)
        rtype = self._types.get(pred)
        if rtype is None:
            rtype = self._types[pred] = local_name(pred)
        key = (rtype, okey)
        links = node.links
        if key in links:
            links[key].add(graph)
        else:
            links[key] = {graph}
        (nodes.get(okey) or self._node(okey)).graphs.add(graph)

    def mention(self, graph: str, key: str) -> None:
        """``graph`` points to the node ``key`` (it is the object of a relationship there)."""
        self._node(key).graphs.add(graph)

    def keys(self) -> set[str]:
        """Every node key seen so far."""
        return set(self._nodes)

    def keys_in(self, graphs: set[str]) -> set[str]:
        """The keys of the nodes that any of ``graphs`` says something about."""
        return {key for key, node in self._nodes.items() if node.graphs & graphs}

    def labels(self, types: Iterable[str]) -> tuple[str, ...]:
        """Local names of the types and all their superclasses, ``Resource`` aside."""
        names: set[str] = set()
        for t in types:
            names.add(local_name(t))
            names.update(local_name(sup) for sup in self.closure.get(t, ()))
        names.discard(RESOURCE)
        names.discard("")
        return tuple(sorted(names))

    def records(
        self, wanted: Iterable[str] | None = None
    ) -> tuple[list[NodeRecord], list[RelRecord], list[str], list[str]]:
        """(nodes, relationships, keys to delete, conflicts) for ``wanted`` keys (default all).

        A wanted key that no graph asserts anything about is to be deleted.
        """
        keys = sorted(self._nodes if wanted is None else set(wanted))
        nodes: list[NodeRecord] = []
        rels: list[RelRecord] = []
        deleted: list[str] = []
        conflicts: list[str] = []
        for key in keys:
            node = self._nodes.get(key)
            if node is None or not node.graphs:
                deleted.append(key)
                continue
            props: dict[str, Any] = {"uri": key, "graphs": sorted(node.graphs)}
            if node.types:
                props["types"] = sorted(node.types)
            for name, values in node.props.items():
                props[name] = _finish(values, multi=name in self._multi)
                if len(values) > 1 and name not in self._multi:
                    conflicts.append(f"{key} {name}: {len(values)} values")
            nodes.append(NodeRecord(key, self.labels(node.types), props))
            rels.extend(
                RelRecord(key, rtype, okey, tuple(graphs) if len(graphs) == 1 else tuple(sorted(graphs)))
                for (rtype, okey), graphs in sorted(node.links.items())
            )
        return nodes, rels, deleted, conflicts


def _finish(values: set[tuple[str, Value]], *, multi: bool) -> Any:
    """One value, or a sorted homogeneous list (Neo4j lists hold one type: else strings)."""
    if len(values) == 1 and not multi:
        return next(iter(values))[1]
    kinds = {kind for kind, _ in values}
    if len(kinds) > 1:
        return sorted({_text(v) for _, v in values})
    return sorted(v for _, v in values)


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)
