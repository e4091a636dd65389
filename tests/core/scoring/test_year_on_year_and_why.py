"""Year-on-year movements (only where comparable) and the "why" of a unit's score."""

from __future__ import annotations

import pytest

from parindex.core.methodology import Edition, diff_editions
from parindex.core.scoring import compute, previous_from_table, why, year_on_year
from tests.core.scoring.helpers import table, tiny_edition

LAST_YEAR = {
    "Lạng Sơn": {"1.1.1": 4, "1.1.2": 6, "2.1.1": 5, "2.1.2": 4},  # 19 / 20 = 95 %; fields 100, 90
    "Hà Nội": {"1.1.1": 3, "1.1.2": 5, "2.1.1": 4, "2.1.2": 4},  # 16 / 20 = 80 %
    "Cao Bằng": {"1.1.1": 2, "1.1.2": 4, "2.1.1": 3, "2.1.2": 3},  # 12 / 20 = 60 %
}
THIS_YEAR = {
    "Lạng Sơn": {"1.1.1": 1, "1.1.2": 2, "2.1.1": 5, "2.1.2": 4},  # 12 / 20 = 60 %; fields 30, 90
    "Hà Nội": {"1.1.1": 4, "1.1.2": 6, "2.1.1": 4, "2.1.2": 4},  # 18 / 20 = 90 %
    "Cao Bằng": {"1.1.1": 4, "1.1.2": 6, "2.1.1": 5, "2.1.2": 5},  # 20 / 20 = 100 %
}


def test_a_fall_is_measured_in_points_places_and_group() -> None:
    before = compute(table(tiny_edition(), LAST_YEAR))
    now = compute(table(tiny_edition(), THIS_YEAR))
    changes = {c.unit: c for c in year_on_year(now, previous_from_table(before))}
    fall = changes["Lạng Sơn"]
    # 95.00 → 60.00: −35.00 points; 1st → 3rd: −2 places; group A → D
    assert (fall.index.delta_pct, fall.index.delta_rank, fall.group_before, fall.group_now) == (
        -35.0,
        -2,
        "A",
        "D",
    )
    # field 1 fell from 100 % to 30 %, field 2 stayed at 90 %
    (biggest,) = fall.biggest(-1)
    assert (biggest.node, biggest.before_pct, biggest.now_pct, biggest.delta_pct) == (
        "1",
        100.0,
        30.0,
        -70.0,
    )
    assert changes["Cao Bằng"].index.delta_rank == 2
    assert changes["Cao Bằng"].biggest(+1)[0].node == "1"


def test_a_unit_new_this_year_has_no_change() -> None:
    before = compute(table(tiny_edition(), {"Hà Nội": LAST_YEAR["Hà Nội"]}))
    now = compute(table(tiny_edition(), THIS_YEAR))
    change = {c.unit: c for c in year_on_year(now, previous_from_table(before))}["Lạng Sơn"]
    assert (change.index.delta_pct, change.index.delta_rank, change.index.comparable) == (
        None,
        None,
        False,
    )


def test_a_field_changed_by_the_new_edition_is_not_compared() -> None:
    old = tiny_edition()
    data = tiny_edition().model_dump()
    data["id"] = "tiny/2025"
    data["previous"] = "tiny/2024"
    for field in data["fields"]:
        field["replaces"] = field["id"]
        for criterion in field["criteria"]:
            criterion["replaces"] = criterion["id"]
            for component in criterion["components"]:
                component["replaces"] = component["id"]
    # field 2's components are re-weighted 5 + 5 → 7 + 3: same total, not the same measure
    data["fields"][1]["criteria"][0]["components"][0]["max_points"] = 7
    data["fields"][1]["criteria"][0]["components"][1]["max_points"] = 3
    new = Edition.model_validate(data)
    diff = diff_editions(old, new)
    before = compute(table(old, LAST_YEAR))
    now_points = {
        u: dict(
            p, **{"2.1.1": min(float(p["2.1.1"] or 0), 7), "2.1.2": min(float(p["2.1.2"] or 0), 3)}
        )
        for u, p in THIS_YEAR.items()
    }
    now = compute(table(new, now_points))
    change = {c.unit: c for c in year_on_year(now, previous_from_table(before), diff)}["Lạng Sơn"]
    movements = {m.node: m for m in change.fields}
    assert movements["1"].comparable and movements["1"].delta_pct == -70.0
    assert not movements["2"].comparable and movements["2"].delta_pct is None
    assert change.index.delta_pct is not None, "the index itself is still compared, as published"


def test_why_lists_losses_largest_first_against_max_best_and_median() -> None:
    scores = compute(table(tiny_edition(), THIS_YEAR))
    explanation = why(scores).for_unit("Lạng Sơn")
    # Lạng Sơn lost 4 on 1.1.2 (2 of 6) and 3 on 1.1.1 (1 of 4), 1 on 2.1.2; kept 2.1.1 at 5 of 5.
    assert [(s.node, s.lost) for s in explanation.shortfalls] == [
        ("1.1.2", 4.0),
        ("1.1.1", 3.0),
        ("2.1.2", 1.0),
    ]
    assert explanation.keep == ("2.1.1",)
    first = explanation.shortfalls[0]
    # best on 1.1.2 is 6 (Hà Nội, Cao Bằng) → 4 behind; the median of 2, 6, 6 is 6 → 4 behind
    assert (first.behind_best, first.behind_median) == (4.0, 4.0)
    last = explanation.shortfalls[-1]
    # 2.1.2: best 5 (Cao Bằng) → 1 behind; median of 4, 4, 5 is 4 → not behind
    assert (last.behind_best, last.behind_median) == (1.0, 0.0)


def test_why_leaves_out_what_does_not_apply() -> None:
    units = {"Lạng Sơn": {"1.1.1": 4, "1.1.2": 6, "2.1.1": None, "2.1.2": 2}}
    explanation = why(compute(table(tiny_edition(), units))).for_unit("Lạng Sơn")
    assert [s.node for s in explanation.shortfalls] == ["2.1.2"]
    assert "2.1.1" not in explanation.keep


def test_provenance_names_the_edition_and_changes_with_any_input() -> None:
    first = compute(table(tiny_edition(), THIS_YEAR))
    changed = {u: dict(p) for u, p in THIS_YEAR.items()}
    changed["Hà Nội"]["2.1.2"] = 3.5
    second = compute(table(tiny_edition(), changed))
    assert first.provenance.edition_id == "tiny/2024"
    assert len(first.provenance.inputs_sha256) == 64
    assert first.provenance.inputs_sha256 != second.provenance.inputs_sha256
    assert (
        compute(table(tiny_edition(), THIS_YEAR), not_ranked=["Hà Nội"]).provenance
        != first.provenance
    )


def test_results_are_immutable() -> None:
    scores = compute(table(tiny_edition(), THIS_YEAR))
    with pytest.raises(ValueError, match="read-only"):
        scores.points_table.points[0, 0] = 99
    with pytest.raises(ValueError, match="read-only"):
        scores.index_pct[0] = 100
    with pytest.raises(ValueError, match="read-only"):
        scores.aggregates.field_points[0, 0] = 1
    with pytest.raises(AttributeError):
        scores.results[0].rank = 1  # type: ignore[misc]
