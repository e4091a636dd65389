"""Decision 766/QĐ-TTg: five groups (100 points) of rates over a period's dossiers and feedback.

Each scored indicator of the ``decision-766`` edition is a ``capped_ratio``: points = max ×
min(1, rate ÷ threshold). A rate with nothing to count (no feedback in the period) earns the
rule's ``if_none`` share; an indicator with no data source at all (procedure publication dates,
electronic results) is *missing*, not zero, and the result says so.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from parindex.core.methodology import Edition
from parindex.core.methodology.rules.base import Ratio
from parindex.core.onestop.calendar import WorkingCalendar
from parindex.core.onestop.dossier import Dossier
from parindex.core.scoring.grading import grade
from parindex.core.scoring.rounding import round_half_up

SOURCE_PREFIX = "computed:d766."


def dossier_rates(
    dossiers: Iterable[Dossier],
    calendar: WorkingCalendar,
    as_of: date,
    flagged: Collection[str] = (),
) -> dict[str, Ratio]:
    """The rates dossier data gives, by indicator id.

    ``flagged`` holds the codes of dossiers with a complaint (PAKN) or a "dislike" rating, for 5.4
    (100 % − overdue rate − flagged rate). 3.1 and 3.5 are read from the dossiers, not from the
    national procedure database: procedures with at least one online dossier (paid online) over
    procedures with dossiers (with a fee) in the period.

    >>> from datetime import datetime
    >>> ds = [Dossier("A", "P1", "U", datetime(2024, 5, 6), datetime(2024, 5, 10), datetime(2024, 5, 9), online=True),
    ...       Dossier("B", "P2", "U", datetime(2024, 5, 6), datetime(2024, 5, 10), datetime(2024, 5, 13))]
    >>> rates = dossier_rates(ds, WorkingCalendar(), date(2024, 5, 31), flagged={"A"})
    >>> rates["2.1"], rates["3.1"], rates["5.4"]
    (Ratio(numerator=1, denominator=2), Ratio(numerator=1, denominator=2), Ratio(numerator=0, denominator=2))
    """
    total = overdue = online = digitised = fee = paid = 0
    procedures: set[str] = set()
    online_procedures: set[str] = set()
    fee_procedures: set[str] = set()
    paid_procedures: set[str] = set()
    flagged_count = 0
    for dossier in dossiers:
        total += 1
        procedures.add(dossier.procedure)
        if dossier.overdue(calendar, as_of):
            overdue += 1
        if dossier.online:
            online += 1
            online_procedures.add(dossier.procedure)
        if dossier.digitised:
            digitised += 1
        if dossier.paid_online is not None:
            fee += 1
            fee_procedures.add(dossier.procedure)
            if dossier.paid_online:
                paid += 1
                paid_procedures.add(dossier.procedure)
        if dossier.code in flagged:
            flagged_count += 1
    return {
        "2.1": Ratio(total - overdue, total),
        "3.1": Ratio(len(online_procedures), len(procedures)),
        "3.3": Ratio(online, total),
        "3.5": Ratio(len(paid_procedures), len(fee_procedures)),
        "3.6": Ratio(paid, fee),
        "4.2": Ratio(digitised, total),
        "5.4": Ratio(max(total - overdue - flagged_count, 0), total),
    }


def feedback_rates(total: int, classified: int, on_time: int, unsatisfied: int) -> dict[str, Ratio]:
    """5.1 classified, 5.2 handled on time, 5.3 satisfied (not disliked, overdue or re-raised).

    >>> feedback_rates(10, 10, 9, 2)["5.3"]
    Ratio(numerator=8, denominator=10)
    """
    return {
        "5.1": Ratio(classified, total),
        "5.2": Ratio(on_time, total),
        "5.3": Ratio(max(total - unsatisfied, 0), total),
    }


@dataclass(frozen=True)
class D766Result:
    """Points by indicator (``None`` when missing), by group, the total and the grade.

    ``scaled`` is the total over the maximum of the indicators that had data, × 100: the grade is
    read on it, so a unit is not graded down for data the system does not hold.
    """

    points: dict[str, float | None]
    groups: dict[str, float]
    total: float
    max_available: float
    scaled: float
    grade: str
    missing: tuple[str, ...]


def score(edition: Edition, rates: Mapping[str, Ratio]) -> D766Result:
    """Score every ``computed:d766.*`` node of ``edition`` on the rates given (2 decimals).

    >>> from parindex.core.methodology.shipped import load_shipped
    >>> edition = load_shipped("decision-766/2022").value
    >>> result = score(edition, {"2.1": Ratio(9, 10), "4.2": Ratio(4, 10)})
    >>> result.points["2.1"], result.points["4.2"], result.total, result.max_available
    (18.0, 4.0, 22.0, 28.0)
    """
    points: dict[str, float | None] = {}
    groups: dict[str, float] = {}
    maxima = 0.0
    for field, _criterion, node in edition.scored():
        groups.setdefault(field.id, 0.0)
        indicator = node.source.removeprefix(SOURCE_PREFIX)
        if not node.source.startswith(SOURCE_PREFIX) or indicator not in rates:
            points[node.id] = None
            continue
        raw = node.rule.score(node.max_points, rates[indicator])
        value = float(round_half_up(np.array([raw], dtype=np.float64), 2)[0])
        points[node.id] = value
        groups[field.id] += value
        maxima += node.max_points
    groups = {k: float(round_half_up(np.array([v]), 2)[0]) for k, v in groups.items()}
    total = float(round_half_up(np.array([sum(v for v in points.values() if v is not None)]), 2)[0])
    scaled = float(round_half_up(np.array([total * 100 / maxima if maxima else np.nan]), 2)[0])
    band = grade_of(edition, scaled)
    missing = tuple(k for k, v in points.items() if v is None)
    return D766Result(points, groups, total, maxima, scaled, band, missing)


def grade_of(edition: Edition, total: float) -> str:
    """The edition's grade for a total of 100 (``""`` for NaN).

    >>> from parindex.core.methodology.shipped import load_shipped
    >>> grade_of(load_shipped("decision-766/2022").value, 90.0)
    'xuat-sac'
    """
    return grade(edition.grading, np.array([total], dtype=np.float64))[0]
