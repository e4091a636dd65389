"""Survey weights: design weights, non-response adjustment, raking, and their diagnostics.

Design weights are inverse inclusion probabilities. Non-response is adjusted within weighting
classes (usually strata): respondents carry the weight of the non-respondents of their class.
Raking (iterative proportional fitting, R's ``rake``) then makes the weights reproduce known
population totals on several margins at once. Standard errors computed afterwards treat the
weights as fixed, which is conservative for the raked variables (R's calibrated-design variance
is not reproduced).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.surveys.design import DesignError

Array = NDArray[np.float64]


def design_weights(inclusion: Sequence[float] | Array) -> Array:
    """1 ÷ inclusion probability.

    >>> design_weights([0.5, 0.1]).tolist()
    [2.0, 10.0]
    """
    probabilities = np.asarray(inclusion, dtype=float)
    if np.any(probabilities <= 0) or np.any(probabilities > 1):
        raise DesignError("inclusion probabilities must lie in (0, 1]")
    return 1.0 / probabilities


def nonresponse_adjusted(
    weights: Array, responded: NDArray[np.bool_], classes: NDArray[np.int64]
) -> Array:
    """Respondents' weights scaled up within each class so the class keeps its total weight;
    non-respondents get 0.

    >>> weights, classes = np.array([2.0, 2, 2, 3]), np.array([0, 0, 0, 1])
    >>> nonresponse_adjusted(weights, np.array([True, True, False, True]), classes).tolist()
    [3.0, 3.0, 0.0, 3.0]
    """
    total = np.bincount(classes, weights=weights)
    answered = np.bincount(classes, weights=np.where(responded, weights, 0.0), minlength=len(total))
    empty = (total > 0) & (answered == 0)
    if np.any(empty):
        raise DesignError(
            f"weighting class {int(np.flatnonzero(empty)[0])} has no respondent to carry its weight"
        )
    factor = np.divide(total, answered, out=np.ones_like(total), where=answered > 0)
    return np.where(responded, weights * factor[classes], 0.0)


def rake(
    weights: Array,
    margins: Sequence[tuple[NDArray[np.int64], Mapping[int, float]]],
    *,
    tolerance: float = 1e-12,
    max_iterations: int = 1000,
) -> Array:
    """Weights whose totals match every margin: ``(codes per row, {code: population total})``.

    Each pass post-stratifies on each margin in turn, as R's ``rake`` does; it stops when no
    weight changes by more than ``tolerance`` (relative).
    """
    raked = np.asarray(weights, dtype=float).copy()
    for codes, totals in margins:
        absent = sorted(set(np.unique(codes).tolist()) - set(totals))
        if absent:
            raise DesignError(f"no population total for category {absent[0]} of a raking margin")
    for _ in range(max_iterations):
        before = raked.copy()
        for codes, totals in margins:
            current = np.bincount(codes, weights=raked, minlength=max(totals) + 1)
            target = np.zeros_like(current)
            for code, total in totals.items():
                target[code] = total
            if np.any((current == 0) & (target > 0)):
                raise DesignError("a raking category with a population total has no respondent")
            raked = (
                raked
                * np.divide(target, current, out=np.ones_like(current), where=current > 0)[codes]
            )
        if np.max(np.abs(raked - before) / np.maximum(before, 1e-300)) < tolerance:
            _check_margins(raked, margins)
            return raked
    raise DesignError(
        f"raking did not converge in {max_iterations} passes (margins may contradict)"
    )


def _check_margins(
    raked: Array, margins: Sequence[tuple[NDArray[np.int64], Mapping[int, float]]]
) -> None:
    # A settled cycle is not enough: margins with different grand totals settle too, on
    # weights that miss all but the last margin.
    for position, (codes, totals) in enumerate(margins, start=1):
        current = np.bincount(codes, weights=raked, minlength=max(totals) + 1)
        for code, total in totals.items():
            if abs(current[code] - total) > 1e-8 * max(1.0, abs(total)):
                raise DesignError(
                    f"raking did not converge: margin {position} category {code} reaches "
                    f"{current[code]:.6g}, not {total:g} (do the margins have the same grand total?)"
                )


@dataclass(frozen=True)
class WeightDiagnostics:
    """What a survey manager checks before trusting the weights."""

    respondents: int
    total: float
    minimum: float
    maximum: float
    ratio: float
    """Largest ÷ smallest weight."""
    cv: float
    design_effect: float
    """Kish's design effect of unequal weighting, 1 + CV²."""
    effective_n: float
    """(Σw)² ÷ Σw²."""
    above_cap: int
    """Weights above ``cap`` × the median (a trimming candidate)."""


def diagnose(weights: Array, cap: float = 3.5) -> WeightDiagnostics:
    """Diagnostics of positive weights.

    >>> d = diagnose(np.array([1.0, 1.0, 2.0, 4.0]))
    >>> (d.ratio, round(d.design_effect, 4), round(d.effective_n, 4), d.above_cap)
    (4.0, 1.375, 2.9091, 0)
    """
    w = np.asarray(weights, dtype=float)
    w = w[w > 0]
    mean = w.mean()
    cv = float(w.std() / mean)
    return WeightDiagnostics(
        respondents=len(w),
        total=float(w.sum()),
        minimum=float(w.min()),
        maximum=float(w.max()),
        ratio=float(w.max() / w.min()),
        cv=cv,
        design_effect=1 + cv**2,
        effective_n=float(w.sum() ** 2 / (w**2).sum()),
        above_cap=int(np.sum(w > cap * np.median(w))),
    )


def trimmed(weights: Array, cap: float = 3.5) -> Array:
    """Weights capped at ``cap`` × the median, the excess spread over the others so the total
    stays the same (repeated until no weight exceeds the cap)."""
    w = np.asarray(weights, dtype=float).copy()
    total = w.sum()
    limit = cap * np.median(w[w > 0])
    for _ in range(100):
        over = w > limit
        if not np.any(over):
            return w
        w[over] = limit
        free = ~over & (w > 0)
        w[free] *= (total - w[over].sum()) / w[free].sum()
    raise DesignError("trimming did not settle; raise the cap")


def adjusted_for_nonresponse(
    weights: Array, responded: NDArray[np.bool_], levels: Sequence[NDArray[np.int64]]
) -> Array:
    """Respondents carry the weight of the non-respondents of their class; non-respondents get 0.

    ``levels`` are nested class codes, finest first (e.g. village, commune, stratum). Each
    class with a respondent keeps its total weight; a class with none passes its weight to its
    class at the next level, which spreads it over its respondents in proportion to their
    weights. A top-level class with no respondent at all (a province not yet answered) keeps
    nothing: it has no estimate. With no level, the weights of respondents are kept as drawn.

    >>> w = np.array([2.0, 2, 2, 4, 4])
    >>> village, province = np.array([0, 0, 1, 2, 2]), np.array([0, 0, 0, 1, 1])
    >>> adjusted_for_nonresponse(w, np.array([1, 0, 0, 1, 0], bool), [village, province]).tolist()
    [6.0, 0.0, 0.0, 8.0, 0.0]
    """
    adjusted = np.where(responded, np.asarray(weights, dtype=float), 0.0)
    pending = np.where(responded, 0.0, np.asarray(weights, dtype=float))
    for classes in levels:
        size = int(classes.max()) + 1 if len(classes) else 0
        carried = np.bincount(classes, weights=pending, minlength=size)
        holding = np.bincount(classes, weights=adjusted, minlength=size)
        takes = holding > 0
        factor = np.divide(holding + carried, holding, out=np.ones_like(holding), where=takes)
        adjusted = adjusted * factor[classes]
        pending = np.where(takes[classes], 0.0, pending)
    return adjusted
