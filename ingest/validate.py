"""Validation of a batch of sources before anything is written.

Two checks: the SHACL shapes (pyshacl), and the privacy rule that no literal
holds an e-mail address or a phone number. Each problem becomes a Violation
that names the file, the line or row, the node and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Literal, Node, URIRef
from rdflib.namespace import XSD
from yhdyspinta.ontology import load_ontology, load_shapes
from yhdyspinta.ontology.namespaces import SH

from yhdyspinta.errors import Location, Violation

EMAIL = re.compile(r"[\w.+-]+(@|\(at\)|\[at\])[\w-]+(\.[\w-]+)+", re.IGNORECASE)
PHONE = re.compile(r"(?<![\w/.,-])(\+?358|0)[ -]?\d{1,3}[ -]\d{3}[ -]?\d{3,4}(?![\w/.,-])")

Locate = Callable[[str], Location]


@dataclass(frozen=True)
class Parsed:
    """A source mapped to RDF, ready for validation."""

    name: str
    graph: Graph
    locate: Locate


def privacy_violations(parsed: Iterable[Parsed]) -> list[Violation]:
    """Literals that look like contact details; the data must never keep them."""
    found = []
    for p in parsed:
        for s, pred, o in p.graph:
            if not isinstance(o, Literal) or (o.datatype not in (None, XSD.string)):
                continue
            text = str(o)
            kind = "an e-mail address" if EMAIL.search(text) else "a phone number" if PHONE.search(text) else None
            if kind:
                found.append(
                    Violation(
                        location=p.locate(str(s)),
                        rule="privacy: no contact details",
                        message=f"the literal looks like {kind}; contact details are never stored",
                        path=_short(pred),
                        value=text[:80],
                    )
                )
    return found


def referenced_iris(parsed: Iterable[Parsed]) -> set[str]:
    """IRIs the batch points at (objects) but does not describe itself."""
    subjects: set[Node] = set()
    objects: set[Node] = set()
    for p in parsed:
        subjects.update(p.graph.subjects())
        objects.update(o for o in p.graph.objects() if isinstance(o, URIRef))
    return {str(o) for o in objects - subjects}


def shacl_violations(parsed: list[Parsed], context_types: Iterable[tuple[str, str]]) -> list[Violation]:
    """Validate the batch against the shapes.

    ``context_types`` are the (node, class) pairs the store knows for the
    nodes the batch refers to, so that a reference to a theme or a region
    defined by another source is checked without validating that source
    again. Results about those context nodes are dropped: only the batch's
    own nodes are judged. (pyshacl's focus_nodes option is not used: it skips
    checks on value nodes outside the focus, such as the language of a label.)
    """
    data = Graph()
    own: set[Node] = set()
    for p in parsed:
        for t in p.graph:
            data.add(t)
        own.update(p.graph.subjects())
    context = Graph()
    for node, cls in context_types:
        context.add((URIRef(node), RDF.type, URIRef(cls)))
    for t in context:
        if t[0] not in own:
            data.add(t)
    if not own:
        return []
    conforms, results, _text = shacl_validate(
        data,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="none",
        allow_warnings=True,
    )
    if conforms:
        return []
    violations = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        node = results.value(r, SH.focusNode)
        if node not in own:
            continue
        message = results.value(r, SH.resultMessage)
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        component = results.value(r, SH.sourceConstraintComponent)
        shape = results.value(r, SH.sourceShape)
        locate = next((p.locate for p in parsed if (node, None, None) in p.graph), parsed[0].locate)
        violations.append(
            Violation(
                location=locate(str(node)),
                rule=_short(shape) if isinstance(shape, URIRef) else _short(component),
                message=str(message) if message else _short(component),
                path=_short(path) if isinstance(path, URIRef) else None,
                value=str(value)[:80] if value is not None else None,
            )
        )
    violations.sort(key=lambda v: (v.location.file, v.location.line or 0, v.location.row or 0, v.message))
    return violations


def _short(term: object) -> str:
    text = str(term)
    for prefix, ns in (
        ("yhd:", "https://w3id.org/yhdyspinta/ontology#"),
        ("ysh:", "https://w3id.org/yhdyspinta/shapes#"),
        ("sh:", "http://www.w3.org/ns/shacl#"),
        ("skos:", "http://www.w3.org/2004/02/skos/core#"),
        ("dcterms:", "http://purl.org/dc/terms/"),
        ("org:", "http://www.w3.org/ns/org#"),
    ):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text
