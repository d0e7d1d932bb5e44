"""The controlled vocabulary the code relies on by name: levels, statuses, kinds, recurrences, schemes.

ontology/vocabularies.ttl and themes.ttl define these concepts; the analyses
and back ends need a few of them as constants (a planned structure covers
nothing, the coverage matrix has a column per level, ...). They are written
here once, built from the namespaces, so that no module types out an IRI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from yhdyspinta.ontology.namespaces import BASE, THEME, YHD


@dataclass(frozen=True)
class Level:
    """A level of interaction (yhd:Level) and the short labels the analyses show for it."""

    iri: str
    label_fi: str
    label_en: str


def _level(slug: str, label_fi: str, label_en: str) -> Level:
    return Level(f"{BASE}level/{slug}", label_fi, label_en)


#: The four levels of interaction of the cooperation (003), top down: the columns of the coverage matrix.
LEVELS: Final = (
    _level("poliittiset-paattajat", "poliittiset päättäjät", "political decision-makers"),
    _level("viranhaltijajohto", "viranhaltijajohto", "executive leadership"),
    _level("asiantuntijat", "asiantuntijat", "experts"),
    _level("asiakastyo", "asiakastyö", "client work"),
)
#: Level IRI -> its Finnish label.
LEVEL_LABELS: Final = {level.iri: level.label_fi for level in LEVELS}

#: yhd:status values: only an active structure (or one with no status) covers a theme.
STATUS_ACTIVE: Final = f"{BASE}status/active"
STATUS_PLANNED: Final = f"{BASE}status/planned"
#: The same, under the name the queries use.
PLANNED: Final = STATUS_PLANNED

#: The kinds of structure the analyses tell apart.
FORUM: Final = "forum"
NETWORK: Final = "network"
#: The class of a structure -> its kind (a statutory negotiation is a forum with a mandate).
STRUCTURE_KINDS: Final = (
    (str(YHD.Forum), FORUM),
    (str(YHD.StatutoryNegotiation), FORUM),
    (str(YHD.Network), NETWORK),
)
#: The kinds of member of a structure, as the back ends name them (``MemberRow.kind``).
MUNICIPALITY: Final = "municipality"
WELFARE_AREA: Final = "welfare-area"
MEMBER_KINDS: Final = (MUNICIPALITY, WELFARE_AREA, "post", "unit", "structure", "organisation")
#: The roles in a structure (``MemberRow.role``).
ROLE_MEMBER: Final = "member"
ROLES: Final = (ROLE_MEMBER, "coordinator", "convener")

#: yhd:recurrence of a planning milestone, by the last part of its yhd:Frequency IRI.
YEARLY: Final = "yearly"
ONCE_PER_COUNCIL_TERM: Final = "once-per-council-term"

#: The building block whose evidence is also the region's active forums.
FORUMS_AND_ARENAS: Final = f"{BASE}building-block/forums-and-arenas"

#: The national interface themes, the one scheme every region shares.
NATIONAL_SCHEME: Final = f"{THEME}national"
