"""The improvement planner: every plan is checked by recomputing the index with it carried out,
and on a small case no cheaper plan exists among all combinations (enumerated here)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from parindex.core.methodology import Edition, load_shipped
from parindex.core.scoring import PointsTable, compute
from parindex.core.scoring.planner import Plan, PlanError, Target, parse_target, plan
from tests.core.scoring.uncertain_cases import points_table, random_table

PAR = load_shipped("par-index-province/2023").value
assert PAR is not None

MAXIMA = [3.0, 1.5, 2.0, 4.0, 2.5, 1.0, 3.5, 2.5]  # 20 points, every component met or not


def yes_no_edition() -> Edition:
    def comp(cid: str, points: float) -> dict[str, Any]:
        return {
            "id": cid,
            "name_vi": f"thành phần {cid}",
            "max_points": points,
            "rule": {"kind": "yes_no"},
        }

    halves = [MAXIMA[:4], MAXIMA[4:]]
    return Edition.model_validate(
        {
            "id": "yes-no/2024",
            "title_vi": "Bộ chỉ số có/không",
            "valid_years": {"first": 2024},
            "status": "illustrative",
            "unit_kinds": ["province"],
            "total_points": 20,
            "penalty_cap": 2,
            "grading": {
                "bands": [
                    {"code": "A", "min": 90},
                    {"code": "B", "min": 75},
                    {"code": "C", "min": 0},
                ]
            },
            "fields": [
                {
                    "id": str(f + 1),
                    "name_vi": f"Lĩnh vực {f + 1}",
                    "max_points": sum(half),
                    "criteria": [
                        {
                            "id": f"{f + 1}.1",
                            "name_vi": "Tiêu chí",
                            "max_points": sum(half),
                            "components": [
                                comp(f"{f + 1}.1.{i + 1}", p) for i, p in enumerate(half)
                            ],
                        }
                    ],
                }
                for f, half in enumerate(halves)
            ],
        }
    )


def recomputed(table: PointsTable, result: Plan) -> tuple[float, int]:
    """The unit's index % and rank with the plan's raises written into the points."""
    points = table.points.copy()
    u = table.units.index(result.unit)
    index = table.layout.node_index
    for r in result.raises:
        assert points[u, index[r.component]] == r.current
        points[u, index[r.component]] = r.target
    scores = compute(replace(table, points=points))
    return float(scores.index_pct[u]), int(scores.ranks[u])


def small_case() -> PointsTable:
    edition = yes_no_edition()
    ids = [f"1.1.{i}" for i in range(1, 5)] + [f"2.1.{i}" for i in range(1, 5)]
    met = {
        "HG": [1, 0, 0, 1, 0, 1, 0, 0],
        "LS": [1, 1, 0, 0, 1, 0, 1, 0],
        "CB": [0, 1, 1, 1, 1, 0, 1, 1],
    }
    return points_table(
        edition,
        {
            u: {
                node: MAXIMA[j] * flag
                for j, (node, flag) in enumerate(zip(ids, flags, strict=True))
            }
            for u, flags in met.items()
        },
    )


EFFORT = {"1.1.2": 3.0, "1.1.3": 0.5, "2.1.2": 2.0, "2.1.4": 1.5}


@pytest.mark.parametrize("target", ["score:80", "score:92.5", "groupA", "groupB", "rank:1"])
def test_no_cheaper_plan_exists_among_all_combinations(target: str) -> None:
    table = small_case()
    u = table.units.index("HG")
    result = plan(table, "HG", parse_target(target, table.edition), effort=EFFORT)
    pct, rank = recomputed(table, result)
    assert result.reachable and pct >= result.needed_pct and pct == result.new_index_pct
    assert rank == result.new_rank

    # Brute force over every set of the unmet components.
    unmet = [j for j in range(8) if table.points[u, j] == 0]
    node_ids = table.layout.node_ids
    best = np.inf
    for size in range(len(unmet) + 1):
        for subset in itertools.combinations(unmet, size):
            points = table.points.copy()
            points[u, list(subset)] = np.array(MAXIMA)[list(subset)]
            scores = compute(replace(table, points=points))
            if scores.index_pct[u] >= result.needed_pct:
                best = min(best, sum(MAXIMA[j] * EFFORT.get(node_ids[j], 1.0) for j in subset))
    assert result.effort == pytest.approx(best)


def test_the_plan_reaches_group_a_on_the_whole_par_index_as_recomputed() -> None:
    table = random_table(PAR, 63, 9)
    scores = compute(table)
    unit = table.units[int(np.argmin(scores.index_pct))]  # the last province
    result = plan(table, unit, Target("group", "A"))
    pct, _ = recomputed(table, result)
    assert result.group != "A" and result.new_group == "A" and pct >= 90.0
    u = table.units.index(unit)
    index = table.layout.node_index
    for r in result.raises:  # only where points were lost, never above the maximum
        j = index[r.component]
        assert table.points[u, j] < table.layout.max_points[j]
        assert r.current < r.target <= table.layout.max_points[j]
    kept = {node for node in result.keep_at_maximum}
    assert kept == {
        node
        for j, node in enumerate(table.layout.node_ids)
        if table.points[u, j] == table.layout.max_points[j]
    }
    assert not kept & {r.component for r in result.raises}
    # least effort with weight 1 a point: just enough points, less than one hundredth of a
    # point per raised component over what 89.995 % needs (points are raised in hundredths).
    needed_points = (89.995 - scores.aggregates.index_pct[u]) / 100 * 100
    assert needed_points - 1e-9 <= result.effort <= needed_points + 0.01 * len(result.raises) + 1e-9


def test_a_rank_target_is_reached_with_the_rank_interval_of_the_plan() -> None:
    table = random_table(PAR, 30, 12)
    scores = compute(table)
    unit = table.units[int(np.argsort(scores.index_pct)[3])]
    result = plan(table, unit, parse_target("rank:5", PAR), replicates=50, seed=1)
    _pct, rank = recomputed(table, result)
    assert result.rank > 5 and rank <= 5 and result.new_rank == rank
    assert (
        result.interval is not None
        and result.interval[0] <= result.interval[1] <= result.interval[2]
    )


def test_a_target_out_of_reach_says_so_and_shows_everything_raised() -> None:
    table = small_case()
    penalised = replace(table, penalty=np.array([2.0, 0.0, 0.0]))  # 18 of 20 points at most: 90 %
    result = plan(penalised, "HG", parse_target("score:95", table.edition))
    assert not result.reachable
    assert result.new_index_pct == 90.0
    assert len(result.raises) == 5  # every unmet component


def test_a_unit_already_there_needs_nothing() -> None:
    table = small_case()
    result = plan(table, "CB", parse_target("groupB", table.edition))
    assert result.reachable and result.raises == () and result.effort == 0
    assert result.new_index_pct == result.index_pct


def test_heavy_effort_weights_steer_the_plan_to_other_components() -> None:
    table = small_case()
    light = plan(table, "HG", parse_target("score:60", table.edition))
    avoided = {r.component: 100.0 for r in light.raises}
    heavy = plan(table, "HG", parse_target("score:60", table.edition), effort=avoided)
    assert heavy.reachable and not {r.component for r in heavy.raises} & set(avoided)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("groupZ", "group 'Z' is not one of"),
        ("rank:0", "whole number from 1"),
        ("score:120", "between 0 and 100"),
        ("best", "write groupA, rank:K or score:S"),
    ],
)
def test_a_target_that_makes_no_sense_is_refused_by_its_value(text: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        parse_target(text, PAR)


def test_effort_for_an_unknown_component_is_refused() -> None:
    with pytest.raises(PlanError, match=r"'9\.9\.9': no such component"):
        plan(small_case(), "HG", Target("score", "80"), effort={"9.9.9": 1.0})
