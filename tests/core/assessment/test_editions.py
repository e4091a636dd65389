"""The edition a new cycle starts from: the latest suited to its organiser."""

from __future__ import annotations

import pytest

from parindex.core.assessment.editions import suited_edition
from parindex.core.methodology import Edition, load_shipped, shipped_edition_ids
from parindex.core.units import UnitKind


def edition(edition_id: str, first: int, last: int | None, kinds: list[str]) -> Edition:
    """A shipped edition with another id, years and unit kinds (to build the cases)."""
    base = load_shipped("par-index-provincial-units/2024").value
    assert base is not None
    years = base.valid_years.model_copy(update={"first": first, "last": last})
    return base.model_copy(
        update={"id": edition_id, "valid_years": years, "unit_kinds": tuple(map(UnitKind, kinds))}
    )


EDITIONS = [
    edition("circular-01-2018/2018", 2018, None, ["one_stop_centre", "province", "commune"]),
    edition("par-index-province/2017", 2017, 2019, ["province"]),
    edition("par-index-province/2023", 2022, 2030, ["province"]),
    edition("par-index-province/2031", 2031, None, ["province"]),
    edition("par-index-provincial-units/2020", 2020, None, ["department", "commune"]),
    edition("par-index-provincial-units/2024", 2024, None, ["department", "commune"]),
    edition("sipas/2023", 2023, 2026, ["province"]),
]


@pytest.mark.parametrize(
    ("organiser", "year", "expected"),
    [
        (None, 2026, "par-index-province/2023"),  # not the 2017 one listed first
        (None, 2018, "par-index-province/2017"),  # the one valid in the year assessed
        (None, 2032, "par-index-province/2031"),
        (UnitKind.PROVINCE, 2026, "par-index-provincial-units/2024"),
        (UnitKind.PROVINCE, 2021, "par-index-provincial-units/2020"),
        (UnitKind.MINISTRY, 2026, None),  # nothing suits: the administrator chooses
    ],
)
def test_the_latest_edition_suited_to_the_organiser(
    organiser: UnitKind | None, year: int, expected: str | None
) -> None:
    found = suited_edition(EDITIONS, organiser, year)
    assert (found.id if found else None) == expected


def test_the_shipped_editions_give_the_ministry_and_a_province_their_own() -> None:
    shipped = [e for e in (load_shipped(i).value for i in shipped_edition_ids()) if e]
    assert shipped[0].id != "par-index-province/2023", "the first in the list is another one"
    national = suited_edition(shipped, None, 2026)
    provincial = suited_edition(shipped, UnitKind.PROVINCE, 2026)
    assert national is not None and national.id == "par-index-province/2023"
    assert provincial is not None and provincial.id == "par-index-provincial-units/2024"
