"""Rank intervals on constructed cases whose answers are known in advance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import norm

from parindex.core.methodology import load_any, load_shipped, write_edition
from parindex.core.scoring import compute
from parindex.core.scoring.uncertainty import (
    FIELD_WEIGHTS,
    NOT_APPLICABLE,
    ROUNDING,
    model_of,
    movements,
    rank_intervals,
    replicate_ranks,
)
from tests.core.scoring.uncertain_cases import (
    draws_for,
    points_table,
    random_table,
    uneven_edition,
)

PAR = load_shipped("par-index-province/2023").value
SIPAS = load_shipped("sipas/2023").value
assert PAR is not None and SIPAS is not None


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("PAR INDEX, 63 provinces, some components not applicable", random_table(PAR, 63, 1, 0.05)),
        ("PAR INDEX with unrounded points", random_table(PAR, 63, 2, quarters=False)),
        ("SIPAS (mean of means), 63 provinces", random_table(SIPAS, 63, 3, 0.05, quarters=False)),
    ],
)
def test_the_declared_choices_reproduce_the_published_table_exactly(name: str, table) -> None:  # type: ignore[no-untyped-def]
    published = compute(table, not_ranked=["U07"])
    model = model_of(table, not_ranked=["U07"])
    again = model.evaluate(model.declared(3), 3)
    for row in range(3):
        assert np.array_equal(again.index_pct[row], published.index_pct, equal_nan=True), name
        assert np.array_equal(again.ranks[row], published.ranks), name
        codes = [(*model.band_codes, "")[g] for g in again.groups[row]]
        assert tuple(codes) == published.groups, name


def test_a_unit_far_ahead_has_a_degenerate_interval() -> None:
    edition = uneven_edition()
    units = {f"U{i}": {"1.1.1": 2.0, "2.1.1": 4.0, "2.1.2": 4.0} for i in range(5)}
    units["LEAD"] = {"1.1.1": 4.0, "2.1.1": 8.0, "2.1.2": 8.0}
    table = points_table(edition, units)
    rng = np.random.default_rng(4)
    # Everyone's survey component 2.1.2 wobbles by ±2 points; the leader's 100 % cannot be caught.
    draws = {
        (u, "2.1.2"): np.clip(units[u]["2.1.2"] + rng.normal(0, 1, 500), 0, 8)  # type: ignore[operator]
        for u in units
        if u != "LEAD"
    }
    result = rank_intervals(table, draws=draws_for(table, draws, 500), replicates=500, seed=1)
    lead = result.unit("LEAD")
    assert (result.low[lead], result.median[lead], result.high[lead]) == (1, 1, 1)
    assert result.p_group[lead].tolist() == [1.0, 0.0, 0.0]
    # the others do move
    others = [result.unit(u) for u in units if u != "LEAD"]
    assert all(result.high[i] > result.low[i] for i in others)


def test_two_units_with_overlapping_survey_intervals_swap_in_the_computable_share() -> None:
    # X and Y differ only in component 2.1.2 (of 8 points; the index is out of 20 points).
    # X's replicate points ~ N(6.0, 0.5), Y's ~ N(5.6, 0.3): X is ahead when X − Y > 0, which
    # has probability Φ(0.4 / √(0.5² + 0.3²)) = Φ(0.686) = 0.7537. Index % rounds to 2 decimals
    # (steps of 0.002 points), so ties are too rare to matter at this tolerance.
    edition = uneven_edition()
    base = {"1.1.1": 3.0, "2.1.1": 6.0}
    table = points_table(
        edition,
        {"X": base | {"2.1.2": 6.0}, "Y": base | {"2.1.2": 5.6}, "Z": base | {"2.1.2": 1.0}},
    )
    replicates = 4000
    rng = np.random.default_rng(11)
    draws = draws_for(
        table,
        {
            ("X", "2.1.2"): rng.normal(6.0, 0.5, replicates),
            ("Y", "2.1.2"): rng.normal(5.6, 0.3, replicates),
        },
        replicates,
    )
    result = rank_intervals(table, draws=draws, replicates=replicates, seed=0)
    x, y = result.unit("X"), result.unit("Y")
    expected = norm.cdf(0.4 / np.hypot(0.5, 0.3))
    assert expected == pytest.approx(0.7537, abs=1e-4)
    share = float(np.mean(result.ranks[:, x] < result.ranks[:, y]))
    assert abs(share - expected) <= 4 * np.sqrt(expected * (1 - expected) / replicates)
    assert (result.rank[x], result.rank[y]) == (1, 2)  # the published order, from the estimates
    assert (result.low[x], result.high[x]) == (1, 2)


def test_the_same_seed_gives_the_same_output_and_another_seed_another() -> None:
    edition = PAR.model_copy(
        update={
            "uncertainty": PAR.model_validate(
                PAR.model_dump()
                | {
                    "uncertainty": {
                        "field_weights": [{"id": "equal", "equal": True}],
                        "rounding_decimals": [1],
                        "not_applicable": ["zero", "full"],
                    }
                }
            ).uncertainty
        }
    )
    table = random_table(edition, 20, 5, na_share=0.1)
    first = rank_intervals(table, replicates=300, seed=42)
    second = rank_intervals(table, replicates=300, seed=42)
    other = rank_intervals(table, replicates=300, seed=43)
    assert np.array_equal(first.ranks, second.ranks)
    assert np.array_equal(first.p_group, second.p_group)
    assert not np.array_equal(first.ranks, other.ranks)
    assert [c.name for c in first.choices] == [FIELD_WEIGHTS, ROUNDING, NOT_APPLICABLE]


def test_equal_field_weights_change_the_leader_as_worked_by_hand() -> None:
    # A: field 1 4/4, field 2 8/16 → 12/20 = 60 %; with equal fields (100 + 50) / 2 = 75 %.
    # B: field 1 0/4, field 2 16/16 → 16/20 = 80 %; with equal fields (0 + 100) / 2 = 50 %.
    edition = uneven_edition(field_weights=[{"id": "equal", "equal": True}])
    table = points_table(
        edition,
        {
            "A": {"1.1.1": 4.0, "2.1.1": 4.0, "2.1.2": 4.0},
            "B": {"1.1.1": 0.0, "2.1.1": 8.0, "2.1.2": 8.0},
        },
    )
    model = model_of(table)
    evaluated = model.evaluate({FIELD_WEIGHTS: np.array([0, 1])})
    assert evaluated.index_pct.tolist() == [[60.0, 80.0], [75.0, 50.0]]
    assert evaluated.ranks.tolist() == [[2, 1], [1, 2]]
    result = rank_intervals(table, replicates=1000, seed=3)
    # Half the replicates (±3 binomial SEs) use each weighting.
    assert abs(result.p_group[table.units.index("A")][1] - 0.5) < 3 * np.sqrt(0.25 / 1000)


def test_a_weighting_that_names_an_unknown_field_is_a_finding(tmp_path: Path) -> None:
    edition = uneven_edition(field_weights=[{"id": "x", "weights": {"9": 2}}])
    write_edition(edition, tmp_path / "e")
    report = load_any(str(tmp_path / "e"))
    assert report.value is None
    (finding,) = report.findings
    assert finding.code == "weighting-unknown-field" and finding.file.endswith("index.yaml")
    assert "field weighting 'x' names fields ['9']" in finding.message


def test_competition_ranks_of_replicates_equal_the_engine_row_by_row() -> None:
    values = np.round(np.random.default_rng(0).uniform(60, 62, size=(50, 40)), 1)
    values[3, 5] = np.nan
    ranked = np.ones(40, dtype=bool)
    ranked[7] = False
    groups = tuple("ab"[i % 2] for i in range(40))
    from parindex.core.scoring import competition_ranks

    got = replicate_ranks(values, groups, ranked)
    for row in range(50):
        assert got[row].tolist() == competition_ranks(values[row], groups, ranked)[0].tolist()


def test_a_fall_is_real_when_the_intervals_of_both_years_keep_apart() -> None:
    edition = uneven_edition()
    base = {"1.1.1": 3.0, "2.1.1": 6.0}
    last_year = points_table(edition, {"X": base | {"2.1.2": 8.0}, "Y": base | {"2.1.2": 4.0}})
    this_year = points_table(edition, {"X": base | {"2.1.2": 2.0}, "Y": base | {"2.1.2": 4.0}})
    rng = np.random.default_rng(5)

    def noisy(table, centre):  # type: ignore[no-untyped-def]
        return draws_for(
            table,
            {(u, "2.1.2"): np.clip(rng.normal(c, 0.3, 1000), 0, 8) for u, c in centre.items()},
            1000,
        )

    now = rank_intervals(this_year, draws=noisy(this_year, {"X": 2.0, "Y": 4.0}), replicates=1000)
    then = rank_intervals(last_year, draws=noisy(last_year, {"X": 8.0, "Y": 4.0}), replicates=1000)
    moved = {m.unit: m for m in movements(now, then)}
    assert moved["X"].delta_rank == -1 and moved["X"].p_real == 1.0
    assert moved["X"].delta_pct == -30.0 and moved["X"].p_pct_real == 1.0
    # Y's points did not change: its rank rose only because X fell, and surely so.
    assert moved["Y"].delta_rank == 1 and moved["Y"].p_real == 1.0
    assert moved["Y"].p_pct_real is None  # no change in % to judge
