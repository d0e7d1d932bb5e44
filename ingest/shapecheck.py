"""A fast first pass over the SHACL shapes: which nodes of a source might break one.

pyshacl stays the judge of every violation, and its words are the ones a
steward reads; but it costs milliseconds a node, too much for a national batch.
This pass reads the project's shapes once per process and checks each focus
node in plain Python. It is *sound for conformance*: a node it passes, pyshacl
passes (tests/test_validation_differential.py holds it to that on generated
valid and broken data). Whatever it does not understand (a constraint, a kind
of path or target) it does not guess at: the nodes such a shape targets are
flagged, and shapes that could look past a node's values make it give up, so
pyshacl sees the whole source as before. Flagged nodes go to pyshacl with what
their verdict depends on: their triples and the types of their values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from yhdyspinta.ontology import load_ontology, load_shapes
from yhdyspinta.ontology.namespaces import SH, XSD

Triple = tuple[Node, Node, Node]
#: subject -> predicate -> values, of one source
Index = dict[Node, dict[Node, list[Node]]]
ValueTest = Callable[[Node], bool]

# Keys of a shape that never change a verdict.
_INERT = {RDF.type, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, RDFS.comment, RDFS.label}
# Anything in the shapes that lets a verdict depend on more than a node's own triples and its values' types.
_FAR_REACHING = {SH.node, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath, SH.sparql,
                 SH.targetObjectsOf, SH.target, SH.closed, SH.qualifiedValueShapesDisjoint}
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}


@dataclass
class _Context:
    """What one check of one source may look up."""

    index: Index
    context_types: dict[Node, set[Node]]
    checker: Checker

    def types(self, node: Node) -> set[Node]:
        own = self.index.get(node)
        found = set(own.get(RDF.type, ())) if own is not None else set(self.context_types.get(node, ()))
        return found | self.checker.ontology_types.get(node, set())

    def classes(self, node: Node) -> set[Node]:
        out: set[Node] = set()
        for t in self.types(node):
            out |= self.checker.superclasses(t)
        return out


PropertyTest = Callable[[Node, list[Node], _Context], bool]


@dataclass
class _NodeRule:
    """One node shape: its targets and what its focus nodes must satisfy."""

    name: Node
    classes: set[Node] = field(default_factory=set)
    subjects_of: set[Node] = field(default_factory=set)
    nodes: set[Node] = field(default_factory=set)
    opaque: bool = False  # holds something this pass does not check: every focus node is flagged
    node_tests: list[ValueTest] = field(default_factory=list)
    properties: list[tuple[tuple[Node, ...], list[PropertyTest]]] = field(default_factory=list)


class Checker:
    """The project's shapes, compiled once for the first pass."""

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self.shapes = shapes
        self.ontology = ontology
        self._super: dict[Node, set[Node]] = {}
        self.ontology_types: dict[Node, set[Node]] = {}
        for s, o in ontology.subject_objects(RDF.type):
            self.ontology_types.setdefault(s, set()).add(o)
        self.ontology_subjects = set(ontology.subjects())
        self.gives_up = any(True for p in _FAR_REACHING for _ in shapes.triples((None, p, None)))
        self.rules = [] if self.gives_up else self._compile()

    def superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class above it (rdfs:subClassOf in the ontology, any depth)."""
        found = self._super.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for parent in self.ontology.objects(todo.pop(), RDFS.subClassOf):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._super[cls] = found
        return found

    # -- compiling ---------------------------------------------------------

    def _compile(self) -> list[_NodeRule]:
        g = self.shapes
        rules = []
        shapes = set(g.subjects(RDF.type, SH.NodeShape)) | {
            s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetNode) for s in g.subjects(p, None)}
        for shape in shapes:
            if (shape, RDF.type, SH.PropertyShape) in g or (shape, RDF.type, RDFS.Class) in g:
                self.gives_up = True  # a property shape with targets, or an implicit class target
                return []
            rule = _NodeRule(shape)
            for p, o in g.predicate_objects(shape):
                if p == SH.targetClass:
                    rule.classes.add(o)
                elif p == SH.targetSubjectsOf:
                    rule.subjects_of.add(o)
                elif p == SH.targetNode:
                    rule.nodes.add(o)
                elif p == SH.property:
                    compiled = self._property(o)
                    if compiled is None:
                        rule.opaque = True
                    else:
                        rule.properties.append(compiled)
                elif p == SH.nodeKind:
                    rule.node_tests.append(_node_kind(o))
                elif p not in _INERT:
                    rule.opaque = True
            rules.append(rule)
        return rules

    def _path(self, path: Node) -> tuple[Node, ...] | None:
        if isinstance(path, URIRef):
            return (path,)
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None and len(set(self.shapes.predicates(path))) == 1:
            members = list(Collection(self.shapes, alternatives))
            if all(isinstance(m, URIRef) for m in members):
                return tuple(members)
        return None

    def _property(self, shape: Node) -> tuple[tuple[Node, ...], list[PropertyTest]] | None:
        """The path and tests of one property shape, or None when it holds what this pass does not check."""
        g = self.shapes
        path = g.value(shape, SH.path)
        predicates = self._path(path) if path is not None else None
        if predicates is None:
            return None
        tests: list[PropertyTest] = []
        seen = set()
        for p, o in g.predicate_objects(shape):
            seen.add(p)
            if p in _INERT or p in (SH.path, SH.qualifiedMinCount):
                continue
            if p == SH.minCount:
                tests.append(_count(int(str(o)), at_least=True))
            elif p == SH.maxCount:
                tests.append(_count(int(str(o)), at_least=False))
            elif p == SH.uniqueLang:
                if o != Literal(True):
                    return None
                tests.append(_unique_languages)
            elif p == SH.hasValue:
                tests.append(_has_value(o))
            elif p == SH.lessThanOrEquals:
                tests.append(_less_or_equal(o))
            elif p == SH.qualifiedValueShape:
                inner = self._value_tests(o)
                least = g.value(shape, SH.qualifiedMinCount)
                if inner is None or least is None or g.value(shape, SH.qualifiedMaxCount) is not None:
                    return None
                tests.append(_qualified(inner, int(str(least))))
            else:
                value_test = self._value_test(p, o, shape)
                if value_test is None:
                    return None
                tests.append(_every(value_test))
        if SH.qualifiedMinCount in seen and SH.qualifiedValueShape not in seen:
            return None
        return predicates, tests

    def _value_tests(self, shape: Node) -> list[Callable[[Node, _Context], bool]] | None:
        """The tests of a shape applied to one value (a qualified value shape), or None."""
        tests = []
        for p, o in self.shapes.predicate_objects(shape):
            if p in _INERT:
                continue
            test = self._value_test(p, o, shape)
            if test is None:
                return None
            tests.append(test)
        return tests

    def _value_test(self, p: Node, o: Node, shape: Node) -> Callable[[Node, _Context], bool] | None:
        """A test every value must pass, True only when pyshacl surely accepts the value."""
        g = self.shapes
        if p == SH.nodeKind:
            kind = _node_kind(o)
            return lambda v, _c: kind(v)
        if p == SH["class"]:
            return _of_class(o)
        if p == SH.datatype:
            return _datatype(o)
        if p == SH.pattern:
            if g.value(shape, SH.flags) is not None:
                return None
            regex = re.compile(str(o))
            return lambda v, _c: not isinstance(v, BNode) and regex.search(str(v)) is not None
        if p == SH.minLength:
            return _length(int(str(o)), at_least=True)
        if p == SH.maxLength:
            return _length(int(str(o)), at_least=False)
        if p == SH.languageIn:
            tags = {str(t).lower() for t in Collection(g, o)}
            return lambda v, _c: isinstance(v, Literal) and (v.language or "").lower() in tags
        if p in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            return _range(p, o)
        if p == SH["in"]:
            allowed = set(Collection(g, o))
            return lambda v, _c: v in allowed
        return None

    # -- checking ----------------------------------------------------------

    def suspects(self, triples: Iterable[Triple], context_types: dict[Node, set[Node]]) -> set[Node] | None:
        """The source's subjects that might break a shape; None when pyshacl must see the whole source."""
        if self.gives_up:
            return None
        index: Index = {}
        for s, p, o in triples:
            if p == RDFS.subClassOf:
                return None  # the source extends the class hierarchy the shapes are read with
            values = index.setdefault(s, {}).setdefault(p, [])
            if o not in values:
                values.append(o)
        ctx = _Context(index, context_types, self)
        flagged = set()
        for node, props in index.items():
            if node in self.ontology_subjects:
                flagged.add(node)  # its triples meet the ontology's in pyshacl's data graph
                continue
            classes = ctx.classes(node)
            for rule in self.rules:
                if not (rule.classes & classes or rule.nodes and node in rule.nodes
                        or any(p in props for p in rule.subjects_of)):
                    continue
                if rule.opaque or not _passes(rule, node, props, ctx):
                    flagged.add(node)
                    break
        return flagged


ValueCheck = Callable[[Node, _Context], bool]


def _count(limit: int, *, at_least: bool) -> PropertyTest:
    def test(_node: Node, values: list[Node], _ctx: _Context) -> bool:
        return len(values) >= limit if at_least else len(values) <= limit
    return test


def _has_value(wanted: Node) -> PropertyTest:
    def test(_node: Node, values: list[Node], _ctx: _Context) -> bool:
        return wanted in values
    return test


def _less_or_equal(other: Node) -> PropertyTest:
    def test(node: Node, values: list[Node], ctx: _Context) -> bool:
        return _ordered(values, ctx.index.get(node, {}).get(other, []))
    return test


def _qualified(inner: list[ValueCheck], least: int) -> PropertyTest:
    def test(_node: Node, values: list[Node], ctx: _Context) -> bool:
        return sum(all(t(v, ctx) for t in inner) for v in values) >= least
    return test


def _every(check: ValueCheck) -> PropertyTest:
    def test(_node: Node, values: list[Node], ctx: _Context) -> bool:
        return all(check(v, ctx) for v in values)
    return test


def _of_class(cls: Node) -> ValueCheck:
    def check(value: Node, ctx: _Context) -> bool:
        return cls in ctx.classes(value)
    return check


def _datatype(datatype: Node) -> ValueCheck:
    def check(value: Node, _ctx: _Context) -> bool:
        return _has_datatype(value, datatype)
    return check


def _length(limit: int, *, at_least: bool) -> ValueCheck:
    def check(value: Node, _ctx: _Context) -> bool:
        if isinstance(value, BNode):
            return False
        return len(str(value)) >= limit if at_least else len(str(value)) <= limit
    return check


def _range(op: Node, bound: Node) -> ValueCheck:
    def check(value: Node, _ctx: _Context) -> bool:
        return _in_range(value, op, bound)
    return check


def _passes(rule: _NodeRule, node: Node, props: dict[Node, list[Node]], ctx: _Context) -> bool:
    if not all(t(node) for t in rule.node_tests):
        return False
    for predicates, tests in rule.properties:
        values = props.get(predicates[0], []) if len(predicates) == 1 else list(
            dict.fromkeys(v for p in predicates for v in props.get(p, [])))
        if not all(t(node, values, ctx) for t in tests):
            return False
    return True


def _node_kind(kind: Node) -> ValueTest:
    kinds: dict[Node, tuple[type, ...]] = {
        SH.IRI: (URIRef,), SH.Literal: (Literal,), SH.BlankNode: (BNode,), SH.BlankNodeOrIRI: (BNode, URIRef),
        SH.IRIOrLiteral: (URIRef, Literal), SH.BlankNodeOrLiteral: (BNode, Literal)}
    allowed = kinds.get(kind, ())
    return lambda v: isinstance(v, allowed)


def _has_datatype(value: Node, datatype: Node) -> bool:
    if not isinstance(value, Literal):
        return False
    if datatype == RDF.langString:
        return bool(value.language)
    if value.language:
        return False
    if datatype == XSD.string:
        return value.datatype in (None, XSD.string)
    return value.datatype == datatype and not value.ill_typed


def _comparable(value: Node) -> object | None:
    """A plain Python value to compare, or None when this pass will not judge the comparison."""
    if not isinstance(value, Literal) or value.language or value.ill_typed:
        return None
    if value.datatype in _NUMERIC:
        number = value.toPython()
        return Decimal(str(number)) if isinstance(number, int | float | Decimal) and number == number else None
    if value.datatype in (XSD.date, XSD.dateTime):
        return (str(value.datatype), value.toPython())
    return None


def _in_range(value: Node, op: Node, bound: Node) -> bool:
    v, b = _comparable(value), _comparable(bound)
    if v is None or b is None or type(v) is not type(b):
        return False
    try:
        if op == SH.minInclusive:
            return bool(v >= b)  # type: ignore[operator]
        if op == SH.maxInclusive:
            return bool(v <= b)  # type: ignore[operator]
        if op == SH.minExclusive:
            return bool(v > b)  # type: ignore[operator]
        return bool(v < b)  # type: ignore[operator]
    except TypeError:
        return False


def _ordered(values: list[Node], others: list[Node]) -> bool:
    """sh:lessThanOrEquals: every pair comparable and in order (same datatype, well-typed)."""
    for v in values:
        for w in others:
            a, b = _comparable(v), _comparable(w)
            if a is None or b is None or not isinstance(v, Literal) or not isinstance(w, Literal) \
                    or v.datatype != w.datatype:
                return False
            try:
                if not a <= b:  # type: ignore[operator]
                    return False
            except TypeError:
                return False
    return True


def _unique_languages(_node: Node, values: list[Node], _ctx: _Context) -> bool:
    tags = [v.language.lower() for v in values if isinstance(v, Literal) and v.language]
    return len(tags) == len(set(tags))


@lru_cache(maxsize=1)
def checker() -> Checker:
    """The shapes and the ontology, read and compiled once per process."""
    return Checker(shapes_graph(), ontology_graph())


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes graph, read once (pyshacl does not change the graph it is given)."""
    return load_shapes()


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology pyshacl mixes into the data graph, read once."""
    return load_ontology()
