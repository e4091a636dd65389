"""Invariants over random point tables (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.core.methodology import load_shipped
from parindex.core.scoring import compute
from parindex.core.scoring.matrices import layout_of
from tests.core.scoring.helpers import table

EDITION = load_shipped("par-index-province/2023").value
assert EDITION is not None
LAYOUT = layout_of(EDITION)
K = len(LAYOUT.node_ids)


@st.composite
def point_tables(draw: st.DrawFn, max_units: int = 8) -> dict[str, dict[str, float | str | None]]:
    n = draw(st.integers(2, max_units))
    units: dict[str, dict[str, float | str | None]] = {}
    for u in range(n):
        shares = draw(st.lists(st.integers(0, 4), min_size=K, max_size=K))
        na = draw(st.lists(st.integers(0, 9), min_size=K, max_size=K))
        units[f"u{u}"] = {
            node: (None if flag == 0 else float(LAYOUT.max_points[j]) * share / 4)
            for j, (node, share, flag) in enumerate(zip(LAYOUT.node_ids, shares, na, strict=True))
        }
        # A bonus on an edition that allows none is refused (points.py), so none is drawn there.
        bonus = [0, 0.5] if EDITION.bonus_cap > 0 else [0]
        units[f"u{u}"]["_bonus"] = draw(st.sampled_from(bonus))
    return units


@settings(max_examples=60, deadline=None)
@given(point_tables())
def test_totals_stay_within_zero_and_the_maximum(
    units: dict[str, dict[str, float | str | None]],
) -> None:
    scores = compute(table(EDITION, units))
    assert np.all(scores.aggregates.points >= 0)
    assert np.all(scores.aggregates.points <= scores.aggregates.max_points + 1e-9)
    scored = scores.aggregates.max_points > 0
    assert np.all((scores.index_pct[scored] >= 0) & (scores.index_pct[scored] <= 100))
    # a unit for which nothing applies has no index: no percentage, no rank, no group
    assert np.all(np.isnan(scores.index_pct[~scored]))
    assert all(scores.ranks[i] == 0 and scores.groups[i] == "" for i in np.flatnonzero(~scored))
    field = scores.field_pct[~np.isnan(scores.field_pct)]
    assert np.all((field >= 0) & (field <= 100))


@settings(max_examples=60, deadline=None)
@given(point_tables(), st.data())
def test_raising_a_component_never_lowers_a_total_or_worsens_a_rank(units, data) -> None:  # type: ignore[no-untyped-def]
    before = compute(table(EDITION, units))
    unit = data.draw(st.sampled_from(sorted(units)))
    node = data.draw(st.sampled_from(LAYOUT.node_ids))
    current = units[unit][node]
    if current is None:
        return
    maximum = float(LAYOUT.max_points[LAYOUT.node_ids.index(node)])
    raised = {u: dict(c) for u, c in units.items()}
    raised[unit][node] = data.draw(st.floats(min_value=float(current), max_value=maximum))
    after = compute(table(EDITION, raised))
    i = before.units.index(unit)
    assert after.aggregates.points[i] >= before.aggregates.points[i] - 1e-12
    assert after.index_pct[i] >= before.index_pct[i]
    assert after.ranks[i] <= before.ranks[i]
    field_before, field_after = before.field_pct[i], after.field_pct[i]
    assert np.all(np.nan_to_num(field_after, nan=-1) >= np.nan_to_num(field_before, nan=-1))


@settings(max_examples=40, deadline=None)
@given(point_tables(), st.randoms())
def test_ranks_do_not_depend_on_the_order_of_the_input(units, random) -> None:  # type: ignore[no-untyped-def]
    shuffled_units = list(units.items())
    random.shuffle(shuffled_units)
    first = compute(table(EDITION, units))
    second = compute(table(EDITION, dict(shuffled_units)))
    for unit in units:
        a, b = first.result(unit), second.result(unit)
        assert (a.rank, a.index_pct, a.group, a.field_pct) == (
            b.rank,
            b.index_pct,
            b.group,
            b.field_pct,
        )


@settings(max_examples=30, deadline=None)
@given(point_tables())
def test_the_same_inputs_give_the_same_table_bit_for_bit(units) -> None:  # type: ignore[no-untyped-def]
    first, second = compute(table(EDITION, units)), compute(table(EDITION, units))
    assert first.provenance == second.provenance
    assert first.index_pct.tobytes() == second.index_pct.tobytes()
    assert first.field_pct.tobytes() == second.field_pct.tobytes()
