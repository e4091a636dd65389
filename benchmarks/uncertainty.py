"""Rank intervals and the planner: 63 provinces × 88 components × 2,000 replicates, the whole
rank-interval computation against bare numpy doing the same arithmetic in the same process; the
planner for one province.

Run: uv run python benchmarks/uncertainty.py
Targets (issue 15): rank intervals ≤ 5× the bare numpy time and under 1 s; planner < 200 ms.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

from parindex.core.methodology import Edition, load_shipped
from parindex.core.scoring import PointsRow, PointsTable, points_from_rows
from parindex.core.scoring.planner import Target, plan
from parindex.core.scoring.uncertainty import (
    DECLARED,
    SurveyDraws,
    draw_scenarios,
    model_of,
    rank_intervals,
)

UNITS, REPLICATES, SEED = 63, 2000, 15


def edition() -> Edition:
    par = load_shipped("par-index-province/2023").value
    assert par is not None
    return Edition.model_validate(
        par.model_dump()
        | {
            "uncertainty": {
                "field_weights": [{"id": "equal", "equal": True}],
                "rounding_decimals": [1],
                "not_applicable": ["zero"],
            }
        }
    )


def inputs() -> tuple[PointsTable, SurveyDraws]:
    rng = np.random.default_rng(SEED)
    ed = edition()
    rows = []
    nodes = [(n.id, n.max_points, n.source) for _f, _c, n in ed.scored()]
    for u in range(UNITS):
        for node, maximum, _source in nodes:
            na = rng.random() < 0.02
            points = "" if na else f"{maximum * rng.uniform(0.6, 1.0):.2f}"
            rows.append(PointsRow(len(rows) + 2, f"P{u:02d}", node, points, na))
    report = points_from_rows(ed, rows)
    assert report.value is not None
    table = report.value
    survey = np.array([s.startswith("survey") for _n, _m, s in nodes])
    draws = np.full((REPLICATES, UNITS, len(nodes)), np.nan)
    noise = rng.normal(0, 0.05, (REPLICATES, UNITS, int(survey.sum())))
    maxima = table.layout.max_points[survey]
    draws[:, :, survey] = np.clip(table.points[:, survey] + noise * maxima, 0, maxima)
    return table, SurveyDraws({DECLARED: draws})


def bare(
    table: PointsTable, draws: np.ndarray, scenarios: dict[str, np.ndarray], weights: np.ndarray
) -> tuple[np.ndarray, ...]:
    """The same arithmetic written straight in numpy: survey draws in, N/A rule, field sums,
    weighted index, rounding, ranks, groups, quantiles."""
    maxima = table.layout.max_points
    points = np.where(np.isnan(draws), table.points, draws)
    rule = scenarios["not_applicable"][:, None, None]
    na = table.not_applicable[None]
    counted = ~(na & (rule == 0))
    points = np.where(counted, points, 0.0)
    node_max = np.where(counted, maxima, 0.0)
    to_field = table.layout.node_to_criterion @ table.layout.criterion_to_field
    field_points, field_max = points @ to_field, node_max @ to_field
    w = weights[scenarios["field_weights"]][:, None, :]
    total_max = field_max.sum(-1)
    pct = (w * field_points).sum(-1) * (total_max / (w * field_max).sum(-1)) / total_max * 100
    factor = 10.0 ** np.where(scenarios["rounding"] == 0, 2, 1)[:, None]
    rounded = np.floor(np.round(pct * factor, 9) + 0.5) / factor
    order = np.argsort(-rounded, axis=1, kind="stable")
    ordered = np.take_along_axis(-rounded, order, axis=1)
    starts = np.ones(ordered.shape, bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(UNITS), 0), axis=1) + 1
    ranks = np.empty_like(first)
    np.put_along_axis(ranks, order, first, axis=1)
    groups = (rounded[..., None] < np.array([90.0, 80.0, 70.0, 0.0])).sum(-1)
    p_group = np.stack([(groups == g).mean(0) for g in range(4)], axis=1)
    quantiles = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    return quantiles, p_group


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    table, draws = inputs()
    model = model_of(table, draws=draws)
    scenarios = draw_scenarios(model, REPLICATES, SEED)
    ours = timed(
        lambda: rank_intervals(table, draws=draws, replicates=REPLICATES, seed=SEED), repeat=7
    )
    reference = timed(
        lambda: bare(table, draws.points[DECLARED], scenarios, model.field_weights), repeat=7
    )
    unit = table.units[int(np.argmin(table.points.sum(axis=1)))]
    planner = timed(lambda: plan(table, unit, Target("group", "A")), repeat=7)
    ratio = ours[0] / reference[0]
    print(
        f"machine: {platform.machine()} python {platform.python_version()} numpy {np.__version__}"
    )
    print(
        f"input: {UNITS} units × {len(table.layout.node_ids)} components × {REPLICATES} "
        f"replicates; choices: {', '.join(c.name for c in model.choices)}"
    )
    print(
        f"rank intervals (whole):        best {ours[0] * 1e3:8.1f} ms  "
        f"median {ours[1] * 1e3:8.1f} ms  target < 1000 ms"
    )
    print(
        f"bare numpy, same arithmetic:   best {reference[0] * 1e3:8.1f} ms  median {reference[1] * 1e3:8.1f} ms"
    )
    print(f"ratio (best/best):             {ratio:8.2f}×  target ≤ 5×")
    print(
        f"planner, one unit to group A:  best {planner[0] * 1e3:8.1f} ms  "
        f"median {planner[1] * 1e3:8.1f} ms  target < 200 ms"
    )
    ok = ours[1] < 1.0 and ratio <= 5 and planner[1] < 0.2
    print(f"verdict: {'meets' if ok else 'MISSES'} the targets")


if __name__ == "__main__":
    main()
