"""The rank interval summary: per unit, the published rank, the median and a 90 % interval of
its rank over the replicates, and the share of replicates in each group."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from parindex.core.scoring.points import PointsTable
from parindex.core.scoring.uncertainty.choices import Array, Choice, Ints, SurveyDraws
from parindex.core.scoring.uncertainty.recomputation import (
    Evaluated,
    Model,
    draw_scenarios,
    model_of,
)


@dataclass(frozen=True, eq=False)
class RankIntervals:
    """Per unit: the published rank and the distribution of its rank over the replicates."""

    units: tuple[str, ...]
    rank: Ints
    """From the declared choices and the survey's point estimates; 0 when not ranked."""
    index_pct: Array
    ranks: Ints
    """Replicates × units."""
    index_pcts: Array
    median: Ints
    low: Ints
    high: Ints
    group_codes: tuple[str, ...]
    p_group: Array
    """Units × groups: share of replicates in each group."""
    choices: tuple[Choice, ...] = field(default=())
    level: float = 0.90

    def unit(self, code: str) -> int:
        return self.units.index(code)


def _quantile(values: Ints, q: float) -> Ints:
    # Ranks are whole numbers: report ranks that occurred (the smallest r with P(rank ≤ r) ≥ q).
    return np.quantile(values, q, axis=0, method="inverted_cdf").astype(np.int64)


def summarise(model: Model, evaluated: Evaluated, level: float = 0.90) -> RankIntervals:
    point = model.evaluate(model.declared())
    tail = (1 - level) / 2
    ranks = evaluated.ranks
    n_bands = len(model.band_codes)
    p_group = (
        np.stack([(evaluated.groups == g).mean(axis=0) for g in range(n_bands)], axis=1)
        if n_bands
        else np.zeros((len(model.table.units), 0))
    )
    return RankIntervals(
        units=model.table.units,
        rank=point.ranks[0],
        index_pct=point.index_pct[0],
        ranks=ranks,
        index_pcts=evaluated.index_pct,
        median=_quantile(ranks, 0.5),
        low=_quantile(ranks, tail),
        high=_quantile(ranks, 1 - tail),
        group_codes=model.band_codes,
        p_group=p_group,
        choices=model.choices,
        level=level,
    )


def rank_intervals(
    table: PointsTable,
    *,
    not_ranked: Iterable[str] = (),
    draws: SurveyDraws | None = None,
    replicates: int = 1000,
    seed: int | np.random.Generator = 0,
    level: float = 0.90,
) -> RankIntervals:
    """Rank distribution of every unit over ``replicates`` recomputations of the index.

    ``table`` holds the published points (survey components at their estimates); ``draws``
    the survey components' replicate points. The same seed gives the same intervals.
    """
    model = model_of(table, not_ranked, draws)
    return summarise(model, model.evaluate(draw_scenarios(model, replicates, seed)), level)
