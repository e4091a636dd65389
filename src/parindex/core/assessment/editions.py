"""Which methodology edition a new cycle starts from: the latest one suited to its organiser.

The Ministry determines the PAR INDEX of the provinces every year, so a national cycle starts
from that index's latest edition; a province's Department of Home Affairs determines the index
of its own departments and communes, so its cycle starts from the latest edition that scores
only units below a province. The administrator may still choose any other.

>>> from parindex.core.methodology import load_shipped, shipped_edition_ids
>>> editions = [load_shipped(e).value for e in shipped_edition_ids()]
>>> suited_edition([e for e in editions if e], None, 2026).id
'par-index-province/2023'
>>> suited_edition([e for e in editions if e], UnitKind.PROVINCE, 2026).id
'par-index-provincial-units/2024'
"""

from __future__ import annotations

from collections.abc import Sequence

from parindex.core.methodology.edition import Edition
from parindex.core.units import UnitKind

NATIONAL_FAMILY = "par-index-province"
"""The index the Ministry determines every year (the family part of an edition's id)."""

BELOW: dict[UnitKind, frozenset[UnitKind]] = {
    UnitKind.PROVINCE: frozenset(
        {UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.ONE_STOP_CENTRE}
    ),
}
"""The kinds of unit an organiser of a kind assesses in its own cycle."""


def family(edition_id: str) -> str:
    return edition_id.split("/", 1)[0]


def suited_edition(
    editions: Sequence[Edition], organiser: UnitKind | None, year: int
) -> Edition | None:
    """The latest of ``editions`` suited to an organiser of kind ``organiser`` (``None``: the
    Ministry): one valid in ``year`` first, then the one first valid most recently. ``None``
    when none suits (an organiser of another kind chooses for themselves)."""
    if organiser is None:
        suited = [e for e in editions if family(e.id) == NATIONAL_FAMILY]
    elif organiser in BELOW:
        suited = [e for e in editions if set(e.unit_kinds) <= BELOW[organiser]]
    else:
        suited = []

    def latest(edition: Edition) -> tuple[bool, int, str]:
        years = edition.valid_years
        valid = years.first <= year and (years.last is None or year <= years.last)
        return valid, years.first, edition.id

    return max(suited, key=latest, default=None)
