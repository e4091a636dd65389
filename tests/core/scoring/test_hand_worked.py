"""Hand-worked tables: every expected figure is worked out in the comment beside it."""

from __future__ import annotations

import pytest

from parindex.core.methodology import load_shipped
from parindex.core.scoring import compute, summarise
from parindex.core.units import UnitKind
from tests.core.scoring.helpers import table, tiny_edition

POINTS = {
    # 4 + 6 + 5 + 5 = 20 of 20 → 100.00 %
    "A": {"1.1.1": 4, "1.1.2": 6, "2.1.1": 5, "2.1.2": 5},
    # 4 + 5 + 4 + 5 = 18 of 20 → 90.00 %
    "B": {"1.1.1": 4, "1.1.2": 5, "2.1.1": 4, "2.1.2": 5},
    "C": {"1.1.1": 4, "1.1.2": 5, "2.1.1": 4, "2.1.2": 5},
    # 17.999 of 20 → 89.995 % → half up → 90.00 %: ties with B and C, group A
    "F": {"1.1.1": 4, "1.1.2": 5, "2.1.1": 3.999, "2.1.2": 5},
    # 2.1.1 not applicable: 3 + 4 + 4 = 11 of 15; bonus 3 capped at 1 → 12 of 15 → 80.00 %
    "D": {"1.1.1": 3, "1.1.2": 4, "2.1.1": None, "2.1.2": 4, "_bonus": 3},
    # 1 + 2 + 2 + 2 = 7; penalty 5 capped at 2 → 5 of 20 → 25.00 %; not ranked
    "E": {"1.1.1": 1, "1.1.2": 2, "2.1.1": 2, "2.1.2": 2, "_penalty": 5},
}


@pytest.fixture
def scores():  # type: ignore[no-untyped-def]
    return compute(table(tiny_edition(), POINTS), not_ranked=["E"])


@pytest.mark.parametrize(
    ("unit", "points", "max_points", "pct", "rank", "group"),
    [
        ("A", 20.0, 20.0, 100.00, "1/5", "A"),
        ("B", 18.0, 20.0, 90.00, "2/5", "A"),
        ("C", 18.0, 20.0, 90.00, "2/5", "A"),
        ("F", 18.0, 20.0, 90.00, "2/5", "A"),
        ("D", 12.0, 15.0, 80.00, "5/5", "B"),
        ("E", 5.0, 20.0, 25.00, "—", "D"),
    ],
    ids=[
        "full marks rank first",
        "a tie shares rank 2",
        "the same points share it too",
        "89.995 rounds half up to 90.00 and ties",
        "N/A shrinks the maximum, the bonus is capped, the rank after a 3-way tie is 5",
        "a unit not ranked keeps its score, the penalty is capped",
    ],
)
def test_a_hand_worked_table(
    scores, unit: str, points: float, max_points: float, pct: float, rank: str, group: str
) -> None:  # type: ignore[no-untyped-def]
    result = scores.result(unit)
    assert (
        result.points,
        result.max_points,
        result.index_pct,
        result.rank_label,
        result.group,
    ) == (
        points,
        max_points,
        pct,
        rank,
        group,
    )


def test_field_percentages_use_the_applicable_maximum(scores) -> None:  # type: ignore[no-untyped-def]
    # D: field 1 = (3 + 4) / 10 = 70.00 %; field 2 = 4 / 5 (2.1.1 left out) = 80.00 %
    assert scores.result("D").field_pct == {"1": 70.0, "2": 80.0}
    # field ranks: field 1 of A (100) > B = C = F (90) > D (70); E is not ranked
    assert scores.result("D").field_rank["1"] == 5
    assert scores.result("E").field_rank["1"] is None


@pytest.mark.parametrize(
    ("rule", "points", "max_points", "pct"),
    [
        ("rescale", 11.0, 15.0, 73.33),  # 11 / 15
        ("zero", 11.0, 20.0, 55.00),  # 11 / 20: the N/A component counts 0 of 5
        ("full", 16.0, 20.0, 80.00),  # (11 + 5) / 20: it counts its full 5
    ],
)
def test_the_not_applicable_rule_is_the_editions_choice(
    rule: str, points: float, max_points: float, pct: float
) -> None:
    units = {"D": {"1.1.1": 3, "1.1.2": 4, "2.1.1": None, "2.1.2": 4}}
    result = compute(table(tiny_edition(not_applicable=rule), units)).result("D")
    assert (result.points, result.max_points, result.index_pct) == (points, max_points, pct)


def test_points_are_clipped_to_zero_and_the_maximum() -> None:
    units = {
        "low": {"1.1.1": 0, "1.1.2": 0, "2.1.1": 0, "2.1.2": 1, "_penalty": 2},  # 1 − 2 → 0, not −1
        "high": {
            "1.1.1": 4,
            "1.1.2": 6,
            "2.1.1": 5,
            "2.1.2": 5,
            "_bonus": 1,
        },  # 20 + 1 → 20, not 21
    }
    scores = compute(table(tiny_edition(), units))
    assert (scores.result("low").points, scores.result("high").index_pct) == (0.0, 100.0)


def test_mean_aggregation_averages_items_groups_and_contents() -> None:
    edition = load_shipped("sipas/2023").value
    assert edition is not None
    items = [n.id for _f, _c, n in edition.scored()]
    # Content I: group A items 80 and 60 → 70; groups B, C, D all 70 → content I = 70.
    # Content II: every item 90 → 90. Index = (70 + 90) / 2 = 80.
    points: dict[str, float | str | None] = {i: (90 if i.startswith("II") else 70) for i in items}
    points["I.A.1"], points["I.A.2"] = 80, 60
    result = compute(table(edition, {"Lạng Sơn": points})).result("Lạng Sơn")
    assert result.field_pct == {"I": 70.0, "II": 90.0}
    assert result.index_pct == 80.0


def test_peer_groups_rank_apart_and_criteria_for_one_kind_leave_the_others_maximum() -> None:
    edition = load_shipped("par-index-provincial-units/2024").value
    assert edition is not None
    all_full = {n.id: n.max_points for _f, _c, n in edition.scored()}
    department = {k: v for k, v in all_full.items() if k != "4.3"}  # 4.3 applies to communes only
    commune = {k: v for k, v in all_full.items() if k not in {"1.3", "2.1"}}  # department only
    half = {k: v / 2 for k, v in commune.items()}
    kinds = {
        "Sở Nội vụ": UnitKind.DEPARTMENT,
        "Sở Tư pháp": UnitKind.DEPARTMENT,
        "Xã A": UnitKind.COMMUNE,
        "Xã B": UnitKind.COMMUNE,
    }
    units = {
        "Sở Nội vụ": department,
        "Sở Tư pháp": {k: v / 2 for k, v in department.items()},
        "Xã A": half,
        "Xã B": commune,
    }
    scores = compute(table(edition, units, kinds))
    assert [scores.result(u).max_points for u in kinds] == [
        95.0,
        95.0,
        93.0,
        93.0,
    ]  # 100 − 5; 100 − 2 − 5
    assert [scores.result(u).rank_label for u in kinds] == ["1/2", "2/2", "2/2", "1/2"]
    assert {s.scope: s.units for s in summarise(scores)} == {
        "all": 4,
        "group:departments": 2,
        "group:communes": 2,
    }


def test_summary_counts_groups_and_averages_the_published_values(scores) -> None:  # type: ignore[no-untyped-def]
    (overall,) = summarise(scores)
    # (100 + 90 + 90 + 90 + 80 + 25) / 6 = 79.1666… → 79.17; median of 25, 80, 90, 90, 90, 100 = 90
    assert (overall.units, overall.mean, overall.median, overall.minimum, overall.maximum) == (
        6,
        79.17,
        90.0,
        25.0,
        100.0,
    )
    assert overall.groups == {"A": 4, "B": 1, "C": 0, "D": 1}


def test_regional_averages_use_the_regions_given(scores) -> None:  # type: ignore[no-untyped-def]
    regions = {"A": "Đồng bằng sông Hồng", "B": "Đồng bằng sông Hồng", "D": "Tây Nguyên"}
    by_scope = {s.scope: s for s in summarise(scores, regions)}
    assert by_scope["region:Đồng bằng sông Hồng"].mean == 95.0
    assert by_scope["region:Tây Nguyên"].units == 1
