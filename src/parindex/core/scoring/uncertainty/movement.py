"""A unit's movement between two years and the probability that it is real."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from parindex.core.scoring.uncertainty.intervals import RankIntervals


@dataclass(frozen=True)
class Movement:
    """A unit's change between two years and how sure it is."""

    unit: str
    delta_rank: int | None
    """Places climbed (positive) or lost (negative), published figures."""
    p_real: float | None
    """Share of paired replicates that moved the same way; None without a change to judge."""
    delta_pct: float | None
    p_pct_real: float | None


def movements(current: RankIntervals, previous: RankIntervals) -> tuple[Movement, ...]:
    """For each unit in both years: the probability that its change in rank (and in index %)
    is real, i.e. that a replicate of this year against a replicate of last year moves the
    same way as the published figures. The years' replicates are independent; replicate r of
    one year is paired with replicate r of the other (cycled when their counts differ)."""
    size = max(len(current.ranks), len(previous.ranks))
    now_rows = np.arange(size) % len(current.ranks)
    then_rows = np.arange(size) % len(previous.ranks)
    out = []
    for i, unit in enumerate(current.units):
        if unit not in previous.units:
            continue
        j = previous.unit(unit)
        delta_rank = int(previous.rank[j] - current.rank[i])
        moved = previous.ranks[then_rows, j] - current.ranks[now_rows, i]
        ranked = (current.rank[i] > 0) and (previous.rank[j] > 0)
        delta_pct = float(current.index_pct[i] - previous.index_pct[j])
        pct_moved = current.index_pcts[now_rows, i] - previous.index_pcts[then_rows, j]
        out.append(
            Movement(
                unit=unit,
                delta_rank=delta_rank if ranked else None,
                p_real=float(np.mean(np.sign(moved) == np.sign(delta_rank)))
                if ranked and delta_rank
                else None,
                delta_pct=None if np.isnan(delta_pct) else round(delta_pct, 2),
                p_pct_real=float(np.mean(np.sign(pct_moved) == np.sign(delta_pct)))
                if delta_pct and not np.isnan(delta_pct)
                else None,
            )
        )
    return tuple(out)
