from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.core.errors import HierarchyCycleError, UnknownUnitError
from parindex.core.units import ancestors, descendants, reaches

# Lạng Sơn with its Department of Home Affairs and a commune; Hà Nội beside it.
TREE: dict[str, str | None] = {
    "lang-son": None,
    "lang-son/snv": "lang-son",
    "lang-son/district": "lang-son",
    "lang-son/district/commune": "lang-son/district",
    "ha-noi": None,
}


@pytest.mark.parametrize(
    ("scope", "unit", "expected"),
    [
        ("lang-son", "lang-son", True),
        ("lang-son", "lang-son/snv", True),
        ("lang-son", "lang-son/district/commune", True),
        ("lang-son/district", "lang-son/district/commune", True),
        ("lang-son/district", "lang-son", False),
        ("lang-son/snv", "lang-son/district", False),
        ("lang-son", "ha-noi", False),
        (None, "ha-noi", True),
    ],
    ids=[
        "a role at a province reaches the province",
        "a role at a province reaches its department",
        "a role at a province reaches a commune two levels down",
        "a role at a district reaches its commune",
        "a role at a district does not reach its province",
        "a role at a department does not reach a sibling",
        "a role at one province does not reach another",
        "a national role reaches every unit",
    ],
)
def test_reach_follows_the_hierarchy(scope: str | None, unit: str, expected: bool) -> None:
    assert reaches(scope, unit, TREE) is expected


def test_ancestors_are_listed_nearest_first() -> None:
    assert ancestors("lang-son/district/commune", TREE) == ["lang-son/district", "lang-son"]


def test_a_cycle_in_parent_links_is_an_error_not_a_hang() -> None:
    with pytest.raises(HierarchyCycleError, match="own ancestor"):
        ancestors("a", {"a": "b", "b": "a"})


def test_an_unknown_unit_is_named_in_the_error() -> None:
    with pytest.raises(UnknownUnitError, match="'nowhere'"):
        reaches("lang-son", "nowhere", TREE)
    with pytest.raises(UnknownUnitError, match="'nowhere'"):
        descendants(["nowhere"], TREE)


def test_descendants_of_several_scopes_are_their_union() -> None:
    assert descendants(["lang-son/district", "ha-noi"], TREE) == {
        "lang-son/district",
        "lang-son/district/commune",
        "ha-noi",
    }


@st.composite
def forests(draw: st.DrawFn) -> dict[int, int | None]:
    size = draw(st.integers(min_value=1, max_value=40))
    # each unit's parent is an earlier unit or none: a forest by construction
    return {
        i: draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None for i in range(size)
    }


@given(forests(), st.data())
def test_descendants_are_exactly_the_units_a_scope_reaches(
    tree: dict[int, int | None], data: st.DataObject
) -> None:
    scope = data.draw(st.sampled_from(sorted(tree)))
    assert descendants([scope], tree) == {u for u in tree if reaches(scope, u, tree)}


@given(forests(), st.data())
def test_a_scope_reaches_what_its_parent_reaches_below_it(
    tree: dict[int, int | None], data: st.DataObject
) -> None:
    unit = data.draw(st.sampled_from(sorted(tree)))
    for ancestor in ancestors(unit, tree):
        assert descendants([unit], tree) <= descendants([ancestor], tree)
