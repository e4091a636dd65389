"""Sample sizes and reproducible selection: SRS and systematic PPS, composed into the
multi-stage designs SIPAS uses (province → commune → village → household).

Every selection takes a ``numpy.random.Generator`` and returns inclusion probabilities, so the
weights and the fpc columns of the estimation follow from the draw itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from parindex.core.surveys.design import DesignError


def yamane(population: int, margin: float = 0.05) -> int:
    """Yamane's n = N ÷ (1 + N·e²), rounded up, as provincial SIPAS practice uses.

    >>> yamane(10_000), yamane(500)
    (385, 223)
    """
    if population <= 0 or not 0 < margin < 1:
        raise DesignError("Yamane needs a population above 0 and a margin between 0 and 1")
    return math.ceil(population / (1 + population * margin**2))


def size_for_precision(
    margin: float,
    *,
    proportion: float = 0.5,
    level: float = 0.95,
    design_effect: float = 1.0,
    population: int | None = None,
    response_rate: float = 1.0,
) -> int:
    """Respondents to draw so a proportion's CI half-width is ``margin``.

    n₀ = z²·p(1−p)·deff ÷ e², corrected for a finite population (n₀ ÷ (1 + (n₀−1)/N)) and
    divided by the expected response rate.

    >>> size_for_precision(0.05), size_for_precision(0.05, design_effect=2, response_rate=0.8)
    (385, 961)
    """
    z = stats.norm.ppf(1 - (1 - level) / 2)
    n = z**2 * proportion * (1 - proportion) * design_effect / margin**2
    if population is not None:
        n = n / (1 + (n - 1) / population)
    return math.ceil(round(float(n) / response_rate, 9))


@dataclass(frozen=True, eq=False)
class Selection:
    """Which units were drawn (indices into the frame) and their inclusion probabilities."""

    indices: NDArray[np.int64]
    probabilities: NDArray[np.float64]


def simple_random(population: int, n: int, rng: np.random.Generator) -> Selection:
    """n of N without replacement, each with probability n/N."""
    if not 0 < n <= population:
        raise DesignError(f"cannot draw {n} of {population}")
    chosen = np.sort(rng.choice(population, size=n, replace=False))
    return Selection(chosen.astype(np.int64), np.full(n, n / population))


def systematic_pps(
    sizes: Sequence[float] | NDArray[np.float64], n: int, rng: np.random.Generator
) -> Selection:
    """n units with probability proportional to size, systematically from a random start.

    Units large enough to be certain (n·size/total ≥ 1) are taken with probability 1 and the
    rest drawn among the others, as survey statisticians do.
    """
    measure = np.asarray(sizes, dtype=float)
    if np.any(measure <= 0):
        raise DesignError("PPS sizes must be positive")
    if not 0 < n <= len(measure):
        raise DesignError(f"cannot draw {n} of {len(measure)}")
    certain = np.zeros(len(measure), dtype=bool)
    while True:
        remaining = n - certain.sum()
        rest = ~certain
        probability = np.where(rest, remaining * measure / measure[rest].sum(), 1.0)
        newly = rest & (probability >= 1)
        if not newly.any():
            break
        certain |= newly
    order = rng.permutation(np.flatnonzero(~certain))
    cumulative = np.cumsum(probability[order])
    points = rng.uniform(0, 1) + np.arange(n - certain.sum())
    picked = order[np.searchsorted(cumulative, points, side="right")]
    chosen = np.sort(np.concatenate([np.flatnonzero(certain), picked]))
    return Selection(chosen.astype(np.int64), probability[chosen])


@dataclass(frozen=True, eq=False)
class HouseholdSample:
    """Households drawn in three stages within each stratum, with what estimation needs."""

    rows: NDArray[np.int64]
    """Indices of the chosen households in the frame."""
    probability: NDArray[np.float64]
    """Overall inclusion probability of each chosen household."""
    communes_in_stratum: NDArray[np.float64]
    villages_in_commune: NDArray[np.float64]
    households_in_village: NDArray[np.float64]


def three_stage(
    strata: NDArray[np.int64],
    communes: NDArray[np.int64],
    villages: NDArray[np.int64],
    *,
    communes_per_stratum: int,
    villages_per_commune: int,
    households_per_village: int,
    rng: np.random.Generator,
) -> HouseholdSample:
    """Equal-probability selection at each stage from a household frame (one row a household;
    commune and village codes unique within their parent are fine).

    The population counts at each stage come back with the sample, ready for ``--fpc``.
    """
    rows, probability = [], []
    fpc1, fpc2, fpc3 = [], [], []
    for stratum in np.unique(strata):
        in_stratum = np.flatnonzero(strata == stratum)
        commune_ids = np.unique(communes[in_stratum])
        first = simple_random(len(commune_ids), min(communes_per_stratum, len(commune_ids)), rng)
        for commune in commune_ids[first.indices]:
            in_commune = in_stratum[communes[in_stratum] == commune]
            village_ids = np.unique(villages[in_commune])
            second = simple_random(
                len(village_ids), min(villages_per_commune, len(village_ids)), rng
            )
            for village in village_ids[second.indices]:
                households = in_commune[villages[in_commune] == village]
                third = simple_random(
                    len(households), min(households_per_village, len(households)), rng
                )
                chosen = households[third.indices]
                rows.extend(chosen.tolist())
                probability.extend(
                    [first.probabilities[0] * second.probabilities[0] * third.probabilities[0]]
                    * len(chosen)
                )
                fpc1.extend([len(commune_ids)] * len(chosen))
                fpc2.extend([len(village_ids)] * len(chosen))
                fpc3.extend([len(households)] * len(chosen))
    return HouseholdSample(
        np.array(rows, dtype=np.int64),
        np.array(probability),
        np.array(fpc1, dtype=float),
        np.array(fpc2, dtype=float),
        np.array(fpc3, dtype=float),
    )
