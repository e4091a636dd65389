"""Circular 01/2018/TT-VPCP (Art. 13–15): nine indices, each scored 2/1/0 per dossier or per unit.

A unit's index is the sum of its dossiers' scores over the number of dossiers, rounded to one
decimal; the unit's total (max 18) is the sum of its nine indices, an officer's (max 10) the sum of
indices 1, 2, 3, 4 and 7 over the dossiers the officer handled. Bands come from the edition
(``circular-01-2018``): its grading for units, its ``civil-servant`` scale for officers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from parindex.core.methodology import Edition, GradingScale
from parindex.core.onestop.calendar import WorkingCalendar
from parindex.core.onestop.dossier import Dossier
from parindex.core.scoring.grading import grade
from parindex.core.scoring.rounding import round_half_up

INDICES: tuple[int, ...] = tuple(range(1, 10))
DOSSIER_INDICES: tuple[int, ...] = (1, 2, 3, 4, 6, 7)
"""Indices scored per dossier (6 also per unit, Art. 14.1 and 14.2)."""
UNIT_INDICES: tuple[int, ...] = (5, 8, 9)
OFFICER_INDICES: tuple[int, ...] = (1, 2, 3, 4, 7)
DEVICE_INDICES: tuple[int, ...] = (1, 3, 4, 7)
"""Indices a citizen gives on a paper form, an electronic device or online (Art. 13)."""

DossierScore = Mapping[int, int]
"""One dossier's points by index, each 0, 1 or 2; an index the dossier was not rated on is absent."""


def check_points(scores: DossierScore) -> None:
    for index, points in scores.items():
        if index not in INDICES:
            raise ValueError(f"Circular 01/2018 has indices 1–9, not {index}")
        if points not in (0, 1, 2):
            raise ValueError(f"index {index} is scored 2, 1 or 0, not {points}")


def index1_from_times(dossier: Dossier, calendar: WorkingCalendar) -> int | None:
    """Index 1 from the system's times: 2 finished before the due day, 1 on it, 0 later.

    ``None`` for a dossier not finished yet.

    >>> from datetime import datetime
    >>> d = Dossier("HS", "P", "U", datetime(2024, 5, 6, 8), datetime(2024, 5, 10, 16), datetime(2024, 5, 10, 9))
    >>> index1_from_times(d, WorkingCalendar())
    1
    """
    if dossier.finished is None:
        return None
    due = dossier.due(calendar)
    finished = dossier.finished.date()
    return 2 if finished < due else 1 if finished == due else 0


def index8_from_feedback(total: int, on_time: int, prolonged: int) -> int:
    """Index 8 for a unit: 2 with no feedback or all handled on time; 1 with ≥ 90 % on time and
    none prolonged; else 0.

    >>> index8_from_feedback(0, 0, 0), index8_from_feedback(10, 9, 0), index8_from_feedback(10, 9, 1)
    (2, 1, 0)
    """
    if total == 0 or (on_time == total and prolonged == 0):
        return 2
    if prolonged == 0 and on_time * 10 >= total * 9:
        return 1
    return 0


def index9_from_online(
    procedures: int,
    procedures_level34: int,
    dossiers: int,
    online_dossiers: int,
    overdue_online: int,
) -> int:
    """Index 9 for a unit: 2 with ≥ 20 % of procedures online at level 3–4, ≥ 30 % of dossiers
    online and none overdue; 1 with some online procedures, 15–< 30 % online and none overdue; 0 else.

    >>> [index9_from_online(10, *case) for case in ((2, 100, 30, 0), (1, 100, 15, 0), (5, 100, 50, 1))]
    [2, 1, 0]
    """
    if overdue_online or procedures_level34 == 0 or dossiers == 0:
        return 0
    share = online_dossiers / dossiers
    if procedures_level34 * 5 >= procedures and share >= 0.30:
        return 2
    if share >= 0.15:
        return 1
    return 0


@dataclass(frozen=True)
class Tt01Result:
    """A unit's or an officer's indices (one decimal), their total and band."""

    indices: dict[int, float]
    dossiers: dict[int, int]
    """How many dossiers carried each per-dossier index."""
    total: float
    band: str
    missing: tuple[int, ...]
    """Indices the scale needs that no dossier or unit value supplied (counted as absent, not 0)."""


@dataclass(frozen=True)
class Tallied:
    """Points already summed over rated dossiers (by a database query): per index, the sum of
    the points and how many dossiers carried the index."""

    sums: Mapping[int, int]
    counts: Mapping[int, int]

    def __post_init__(self) -> None:
        for index, count in self.counts.items():
            total = self.sums.get(index, 0)
            if index not in INDICES or count < 0 or not 0 <= total <= 2 * count:
                raise ValueError(f"index {index}: {total} points over {count} dossiers")


def index_scores(
    dossier_scores: Iterable[DossierScore], tallied: Tallied | None = None
) -> tuple[dict[int, float], dict[int, int]]:
    """Each index's mean over the dossiers rated on it, rounded half up to one decimal;
    ``tallied`` adds dossiers summed elsewhere.

    Three dossiers scoring 2, 1 and 2 on index 3 give 5 ÷ 3 = 1.666… → 1.7:

    >>> index_scores([{3: 2}, {3: 1}, {3: 2, 7: 0}])
    ({3: 1.7, 7: 0.0}, {3: 3, 7: 1})
    >>> index_scores([{3: 2}], Tallied({3: 3}, {3: 2}))
    ({3: 1.7}, {3: 3})
    """
    sums: dict[int, int] = {}
    counts: dict[int, int] = {}
    if tallied is not None:
        for index, count in tallied.counts.items():
            if count:
                sums[index] = tallied.sums.get(index, 0)
                counts[index] = count
    for scores in dossier_scores:
        check_points(scores)
        for index, points in scores.items():
            sums[index] = sums.get(index, 0) + points
            counts[index] = counts.get(index, 0) + 1
    keys = sorted(sums)
    means = np.array([sums[k] / counts[k] for k in keys], dtype=np.float64)
    rounded = round_half_up(means, 1)
    return {k: float(v) for k, v in zip(keys, rounded, strict=True)}, {k: counts[k] for k in keys}


def _band(scale: GradingScale | None, total: float) -> str:
    return grade(scale, np.array([total], dtype=np.float64))[0]


def _total(indices: Mapping[int, float]) -> float:
    return float(round_half_up(np.array([sum(indices.values())], dtype=np.float64), 1)[0])


RECORDED_INDICES: tuple[int, ...] = (2, 5, 6, 8, 9)
"""Indices no counter device rates (Art. 13): a unit's staff record them per period, or parindex
computes them (8 from feedback, 9 from online dossiers)."""


def check_unit_values(values: Mapping[int, float]) -> None:
    """A unit-level value is 2, 1 or 0, or (index 2 and 6, means over dossiers the one-stop
    system scored) a number from 0 to 2 with one decimal."""
    for index, value in values.items():
        if index not in INDICES:
            raise ValueError(f"Circular 01/2018 has indices 1–9, not {index}")
        if index in (2, 6):
            if not 0 <= value <= 2 or round(value, 1) != value:
                raise ValueError(
                    f"index {index} is a mean from 0 to 2 with one decimal, not {value}"
                )
        elif value not in (0, 1, 2):
            raise ValueError(f"index {index} is scored 2, 1 or 0, not {value}")


def unit_result(
    edition: Edition,
    dossier_scores: Iterable[DossierScore],
    unit_scores: Mapping[int, float],
    tallied: Tallied | None = None,
) -> Tt01Result:
    """A unit's nine indices, total of 18 and band.

    ``unit_scores`` holds the unit-level indices (5, 8, 9, and 6 when assessed for the unit rather
    than per dossier; 2 as the one-stop system reports it); a unit value for an index overrides
    the dossier mean.
    """
    check_unit_values(unit_scores)
    indices, counts = index_scores(dossier_scores, tallied)
    indices.update({k: float(v) for k, v in unit_scores.items()})
    missing = tuple(i for i in INDICES if i not in indices)
    total = _total(indices)
    return Tt01Result(
        dict(sorted(indices.items())), counts, total, _band(edition.grading, total), missing
    )


def officer_result(
    edition: Edition, dossier_scores: Iterable[DossierScore], tallied: Tallied | None = None
) -> Tt01Result:
    """An officer's indices 1, 2, 3, 4, 7 over the dossiers they handled, total of 10 and band."""
    scale = next(s for s in edition.other_scales if s.id == "civil-servant")
    kept = (
        Tallied(
            {k: v for k, v in tallied.sums.items() if k in OFFICER_INDICES},
            {k: v for k, v in tallied.counts.items() if k in OFFICER_INDICES},
        )
        if tallied is not None
        else None
    )
    indices, counts = index_scores(
        ({k: v for k, v in scores.items() if k in OFFICER_INDICES} for scores in dossier_scores),
        kept,
    )
    missing = tuple(i for i in OFFICER_INDICES if i not in indices)
    total = _total(indices)
    return Tt01Result(indices, counts, total, _band(scale, total), missing)


def dossier_scores(
    dossier: Dossier, rated: DossierScore, calendar: WorkingCalendar
) -> dict[int, int]:
    """One dossier's points: the citizen's ratings, with index 1 from the system's times when the
    dossier is finished (the times are facts; a rating of index 1 stands only for an open dossier).
    """
    scores = dict(rated)
    from_times = index1_from_times(dossier, calendar)
    if from_times is not None:
        scores[1] = from_times
    check_points(scores)
    return scores


def with_unit_values(
    edition: Edition, result: Tt01Result, unit_values: Mapping[int, float]
) -> Tt01Result:
    """``result`` (from the dossiers and ratings) completed with the unit-level values: the same
    as ``unit_result`` given them, for a caller that already holds the dossier result.

    >>> from parindex.core.methodology.shipped import load_shipped
    >>> edition = load_shipped("circular-01-2018/2018").value
    >>> base = unit_result(edition, [{1: 2, 3: 2, 4: 1, 7: 2}], {})
    >>> full = with_unit_values(edition, base, {2: 1.5, 5: 2, 6: 2, 8: 2, 9: 1})
    >>> full.total, full.band, full.missing
    (15.5, 'xuat-sac', ())
    """
    check_unit_values(unit_values)
    indices = {**result.indices, **{k: float(v) for k, v in unit_values.items()}}
    total = _total(indices)
    missing = tuple(i for i in INDICES if i not in indices)
    return Tt01Result(
        dict(sorted(indices.items())),
        result.dossiers,
        total,
        _band(edition.grading, total),
        missing,
    )
