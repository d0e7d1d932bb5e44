"""Validation of a batch of sources before anything is written.

Three kinds of check: the literals themselves (size, datatype, invisible
characters, mixed scripts), the privacy rule that no literal holds an e-mail
address or a phone number, and the SHACL shapes (pyshacl). Each problem
becomes a Violation that names the file, the line or row, the node and the
rule.

Every check on text runs in time linear in its length: the input comes from
stewards' files and from HTTP writes, and a pattern that backtracks
quadratically on a long literal freezes the whole server.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Literal, Node, URIRef

from yhdyspinta.errors import Location, Violation
from yhdyspinta.ingest.shapecheck import checker, ontology_graph, shapes_graph
from yhdyspinta.ingest.triples import SourceData, Triple
from yhdyspinta.ontology.namespaces import DCTERMS, ORG, SH, SKOS, XSD, YHD, YSH

#: The longest literal accepted, in characters; longer ones are refused before any other check.
MAX_LITERAL_CHARS = 100_000

# An e-mail address: a local-part character, the "@" (or "(at)", "[at]"), then a domain with a dot.
# Equivalent to searching for [\w.+-]+(@|\(at\)|\[at\])[\w-]+(\.[\w-]+)+ but linear: the match is
# anchored on the marker (one fixed-width lookbehind for the local part, which need not be scanned), and
# the only unbounded part, [\w-]+ after the marker, stops at the first character outside [\w-]. Every
# marker begins with "@", "(" or "[", none of them in [\w-], so the runs scanned after two markers never
# overlap: the whole search reads each character a bounded number of times.
EMAIL = re.compile(r"(?<=[\w.+-])(?:@|\(at\)|\[at\])[\w-]+\.[\w-]", re.IGNORECASE)

# A Finnish phone number, national or international (N a digit): "0NN NNN NNNN", "(0N) NNN NNNN", "+358 NN NNNN
# NNN", "358 NN NNN NNNN", "+358 (0)NN NNN NNNN", "0NNNNNNNNN". Every quantifier is bounded, so a match is at
# most about 30 characters and the work per start position is bounded: the search is linear. Not inside a longer
# token (a date 2023-01-15, a law 611/2021, a record number 672/00.04.01/2023, a business id 0123456-7) but may
# end a sentence ("soita 0NN NNN NNNN."); the national form needs its leading 0, so years, postal codes and
# population figures do not match.
_SEP = "[ \u00a0-]"
_AREA = (
    rf"(?:(?:\+|00)?358{_SEP}?(?:\(0\){_SEP}?)?\d{{1,3}}"  # +358 50, 00358 50, 358 50, +358 (0)50
    r"|\(0\d{1,3}\)"  # (09)
    rf"|0{_SEP}?\d{{1,3}})"  # 09, 050, 0400
)
_SUBSCRIBER = rf"(?:{_SEP}?\d{{5,8}}|(?:{_SEP}?\d{{2,4}}){{2,3}})"  # NNNNNNN, NNN NNNN, NNNN NNN, NN NN NNN
PHONE = re.compile(rf"(?<![\w/-])(?<!\d[.,]){_AREA}{_SUBSCRIBER}(?![\w/-]|[.,]\d)")

# Characters that cannot be seen but change what a reader sees: zero-width characters and bidi controls.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters
_CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})

RULE_SIZE = "size: no huge literals"
RULE_DATATYPE = "datatype: well-typed literals"
RULE_INVISIBLE = "text: no invisible or bidi characters"
RULE_SCRIPTS = "text: no mixed-script words"
RULE_PRIVACY = "privacy: no contact details"

Locate = Callable[[str], Location]


class _IllTypedLiteralLog(logging.Filter):
    """Drops rdflib's warning (with a traceback) for each ill-typed literal it builds.

    literal_violations reports those literals as violations that name the file and the node,
    so the warning is only noise on the steward's terminal and in the server log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form to value")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteralLog())


#: Rewrites a source's violations in its own words (the template's sheets, rows and columns).
Explain = Callable[[list[Violation]], list[Violation]]


@dataclass(frozen=True)
class Parsed:
    """A source mapped to RDF, ready for validation.

    ``problems`` are those found while mapping it (a template's cells); ``explain``, when set, turns
    the checks' violations into the source's own words; ``lang`` is the language of those words.
    """

    name: str
    graph: SourceData
    locate: Locate
    problems: tuple[Violation, ...] = ()
    explain: Explain | None = None
    lang: str = "en"


def literal_violations(parsed: Iterable[Parsed]) -> list[Violation]:
    """Literals too long, ill-typed, with invisible characters or words mixing scripts; IRIs with invisible ones.

    Cheap and linear, so they run before the privacy patterns and the shapes; a literal
    over MAX_LITERAL_CHARS is reported and not looked at further.
    """
    return [v for p in parsed for v in source_literal_violations(p, list(p.graph))]


def source_literal_violations(p: Parsed, triples: list[Triple]) -> list[Violation]:
    """literal_violations of one source, given its triples (read once for every check)."""
    found = []
    odd_iris: set[URIRef] = set()
    for s, pred, o in triples:
        if isinstance(o, Literal):
            for rule, message, value in _literal_problems(o, str(o)):
                found.append(Violation(p.locate(str(s)), rule, message, path=_short(pred), value=value))
        for t in (s, pred, o):
            if isinstance(t, URIRef) and not t.isascii():
                odd_iris.add(t)
    for term in odd_iris:
        if problem := invisible_character(str(term)):
            node = str(term)
            found.append(Violation(p.locate(node), RULE_INVISIBLE, f"in the IRI, {problem}", value=_visible(node)))
    return found


def _literal_problems(literal: Literal, text: str) -> Iterator[tuple[str, str, str]]:
    """(rule, message, value shown) for each problem of one literal."""
    if len(text) > MAX_LITERAL_CHARS:
        yield (
            RULE_SIZE,
            f"the literal is {len(text):,} characters long; at most {MAX_LITERAL_CHARS:,} are accepted",
            text[:40] + "...",
        )
        return
    if literal.ill_typed:
        yield RULE_DATATYPE, f"the value is not a valid {_short(literal.datatype)}", text[:80]
    if text.isascii():
        return
    if problem := invisible_character(text):
        yield RULE_INVISIBLE, problem, _visible(text)
    if problem := mixed_script_word(text):
        yield RULE_SCRIPTS, problem, _visible(text)


def invisible_character(text: str) -> str | None:
    """Names the first zero-width or bidi control character of ``text`` and where it is, or None."""
    m = INVISIBLE.search(text)
    if m is None:
        return None
    char = m.group()
    more = len(INVISIBLE.findall(text, m.end()))
    also = f" (and {more} more)" if more else ""
    return (
        f"the text holds U+{ord(char):04X} {unicodedata.name(char, 'CONTROL CHARACTER')} at character "
        f"{m.start() + 1}{also}; invisible and direction-changing characters can hide or reorder text"
    )


def mixed_script_word(text: str) -> str | None:
    """Names the first word that mixes Latin, Cyrillic or Greek letters ("Lаhti" with a Cyrillic а), or None.

    Such a word looks like a familiar name but is another string: a search or a
    join on the name misses it. Letters of one script, with any accents, are fine.
    """
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        scripts = {_script(c) for c in word} & _CONFUSABLE_SCRIPTS
        if len(scripts) > 1:
            main = "LATIN" if "LATIN" in scripts else _script(word[0])
            odd = next(c for c in word if _script(c) in scripts - {main})
            names = " and ".join(x.title() for x in sorted(scripts))
            return (
                f"the word '{word}' at character {m.start() + 1} mixes {names} letters "
                f"(U+{ord(odd):04X} {unicodedata.name(odd, '?')}); it only looks like a word in one script"
            )
    return None


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The script of a letter, from its Unicode name ("LATIN SMALL LETTER A WITH DIAERESIS" -> LATIN)."""
    if char.isascii():
        return "LATIN"
    return unicodedata.name(char, "").split(" ", 1)[0]


def _visible(text: str) -> str:
    """The start of ``text`` with invisible characters shown as <U+XXXX>, for a report."""
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text[:80])


def privacy_violations(parsed: Iterable[Parsed]) -> list[Violation]:
    """Literals that look like contact details; the data must never keep them."""
    return [v for p in parsed for v in source_privacy_violations(p, list(p.graph))]


def source_privacy_violations(p: Parsed, triples: list[Triple]) -> list[Violation]:
    """privacy_violations of one source, given its triples."""
    found = []
    for s, pred, o in triples:
        if not isinstance(o, Literal) or o.datatype not in (None, XSD.string):
            continue
        text = str(o)
        if len(text) > MAX_LITERAL_CHARS:
            continue  # refused by literal_violations; not worth scanning
        kind = "an e-mail address" if EMAIL.search(text) else "a phone number" if PHONE.search(text) else None
        if kind:
            found.append(
                Violation(
                    location=p.locate(str(s)),
                    rule=RULE_PRIVACY,
                    message=f"the literal looks like {kind}; contact details are never stored",
                    path=_short(pred),
                    value=text[:80],
                )
            )
    return found


@dataclass(frozen=True)
class Facts:
    """What the rest of a batch needs to know of one source: its subjects, the IRIs it points at, its types."""

    subjects: frozenset[Node]
    objects: frozenset[URIRef]
    types: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, triples: Iterable[Triple]) -> Facts:
        subjects: set[Node] = set()
        objects: set[URIRef] = set()
        types: set[tuple[str, str]] = set()
        for s, pred, o in triples:
            subjects.add(s)
            if isinstance(o, URIRef):
                objects.add(o)
                if pred == RDF.type:
                    types.add((str(s), str(o)))
        return cls(frozenset(subjects), frozenset(objects), frozenset(types))

    @property
    def referenced(self) -> set[str]:
        """IRIs the source points at but does not describe itself."""
        return {str(o) for o in self.objects - self.subjects}


def referenced_iris(parsed: Iterable[Parsed]) -> set[str]:
    """IRIs the batch points at (objects) but does not describe itself."""
    facts = [Facts.of(p.graph) for p in parsed]
    subjects = set().union(*(f.subjects for f in facts))
    return {str(o) for f in facts for o in f.objects - subjects}


def shacl_violations(parsed: list[Parsed], context_types: Iterable[tuple[str, str]]) -> list[Violation]:
    """Validate the batch against the shapes.

    ``context_types`` are the (node, class) pairs the store knows for the
    nodes the batch refers to, so that a reference to a theme or a region
    defined by another source is checked without validating that source
    again. Results about those context nodes are dropped: only the batch's
    own nodes are judged. (pyshacl's focus_nodes option is not used: it skips
    checks on value nodes outside the focus, such as the language of a label.)

    The fast pass (ingest.shapecheck) picks the nodes that might break a
    shape; pyshacl judges those, on their own triples and the types of their
    values, which is all their verdict depends on. A valid source never
    reaches pyshacl.
    """
    triples = [t for p in parsed for t in p.graph]
    own = {s for s, _p, _o in triples}
    if not own:
        return []
    context: dict[Node, set[Node]] = {}
    for iri, cls in context_types:
        if URIRef(iri) not in own:
            context.setdefault(URIRef(iri), set()).add(URIRef(cls))
    suspects = checker().suspects(triples, context)
    if suspects is not None and not suspects:
        return []
    data = Graph()
    if suspects is None:
        judged = own
        for t in triples:
            data.add(t)
    else:
        judged = suspects
        by_subject: dict[Node, list[Triple]] = {}
        for t in triples:
            by_subject.setdefault(t[0], []).append(t)
        for node in suspects:
            for t in by_subject.get(node, ()):
                data.add(t)
                value = t[2]
                for u in by_subject.get(value, ()) if value not in suspects else ():
                    data.add(u)  # one step on: the value's own triples (its types among them)
    for typed, classes in context.items():
        for type_ in classes:
            data.add((typed, RDF.type, type_))
    conforms, results, _text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=True,
    )
    if conforms:
        return []
    locators = {s: p.locate for p in parsed for s in Facts.of(p.graph).subjects} if len(parsed) > 1 else {}
    violations = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        node = results.value(r, SH.focusNode)
        if node not in judged:
            continue
        message = results.value(r, SH.resultMessage)
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        component = results.value(r, SH.sourceConstraintComponent)
        shape = results.value(r, SH.sourceShape)
        locate = locators.get(node, parsed[0].locate) if node is not None else parsed[0].locate
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


def short_name(term: object) -> str:
    """``yhd:theme`` for the IRI of yhd:theme: the name the violations give a property or a class."""
    return _short(term)


def _short(term: object) -> str:
    text = str(term)
    for prefix, namespace in (("yhd:", YHD), ("ysh:", YSH), ("sh:", SH), ("skos:", SKOS), ("dcterms:", DCTERMS),
                              ("org:", ORG), ("xsd:", XSD)):
        ns = str(namespace)
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text
