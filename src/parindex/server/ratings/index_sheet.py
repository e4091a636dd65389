"""Circular 01/2018's indices that no counter device rates (2, 5, 6, 8, 9), per unit and period:
recorded by the unit's staff on the index sheet, or computed where the Circular's rule can be
read off data parindex holds, so that the unit's score of 18 is complete.

- Index 8 (feedback received and explained) is computed from the feedback items of the unit and
  the units below it received in the period: 2 with none, or all handled within their 15 working
  days and none dragging on; 1 with ≥ 90 % on time and none dragging on; else 0. An item "drags
  on" when it is still unanswered after its deadline at the end of the period (or today).
- Index 9 (online public services) is computed from the period's dossiers (share submitted
  online, online dossiers overdue) once the sheet gives the unit's procedure counts (how many it
  handles, how many are offered online at level 3–4: the dossiers do not say).
- Indices 2 (each agency's time: the one-stop system's per-agency times, which dossier exports do
  not carry), 5 (handled at the one-stop counter) and 6 (procedures made public) are recorded.

A value recorded on the sheet stands over a computed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from parindex.core import onestop
from parindex.core.methodology.shipped import load_shipped
from parindex.core.onestop.tt01 import RECORDED_INDICES, check_unit_values, with_unit_values
from parindex.server.accounts.models import Unit, User
from parindex.server.feedback.models import Feedback
from parindex.server.ratings import aggregates, services
from parindex.server.ratings.models import Dossier, UnitIndexSheet

OPEN = (Feedback.State.RECEIVED, Feedback.State.INFO_REQUESTED)


class Source(StrEnum):
    RECORDED = "recorded"
    COMPUTED = "computed"
    MISSING = "missing"


@dataclass(frozen=True)
class IndexValue:
    index: int
    value: float | None
    source: Source


@dataclass(frozen=True)
class FeedbackBasis:
    total: int
    on_time: int
    prolonged: int


@dataclass(frozen=True)
class OnlineBasis:
    dossiers: int
    online: int
    overdue_online: int


@dataclass(frozen=True)
class UnitIndices:
    unit: Unit
    period: onestop.Period
    sheet: UnitIndexSheet | None
    values: dict[int, IndexValue]
    feedback: FeedbackBasis
    online: OnlineBasis
    computed: dict[int, int | None]
    """What parindex computes for indices 8 and 9 (``None``: the sheet lacks the counts)."""

    def given(self) -> dict[int, float]:
        return {k: v.value for k, v in self.values.items() if v.value is not None}


def _as_of(period: onestop.Period, today: date | None) -> date:
    return min(period.end, today or timezone.localdate())


def feedback_basis(units: set[int], period: onestop.Period, as_of: date) -> FeedbackBasis:
    items = Feedback.objects.filter(
        unit_id__in=units, received_on__gte=period.start, received_on__lte=period.end
    ).values_list("state", "answered_on", "handle_due")
    total = on_time = prolonged = 0
    for state, answered_on, handle_due in items:
        total += 1
        if state in OPEN:
            prolonged += as_of > handle_due
        elif answered_on is not None and answered_on <= handle_due:
            on_time += 1
    return FeedbackBasis(total, on_time, prolonged)


def online_basis(units: set[int], period: onestop.Period, as_of: date) -> OnlineBasis:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, datetime.min.time(), tz)
    end = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), tz)
    dossiers = Dossier.objects.filter(unit_id__in=units, received__gte=start, received__lt=end)
    cal = services.calendar()
    online = [services.core_dossier(d) for d in dossiers.filter(online=True)]
    overdue = sum(1 for d in online if d.overdue(cal, as_of))
    return OnlineBasis(dossiers.count(), len(online), overdue)


def unit_indices(unit: Unit, period: onestop.Period, today: date | None = None) -> UnitIndices:
    """The five unit-level indices of ``unit`` (and below) for ``period``, each with its source."""
    sheet = UnitIndexSheet.objects.filter(unit=unit, period=str(period)).first()
    units = services.subtree(unit)
    as_of = _as_of(period, today)
    feedback = feedback_basis(units, period, as_of)
    online = online_basis(units, period, as_of)
    computed: dict[int, int | None] = {
        8: onestop.index8_from_feedback(feedback.total, feedback.on_time, feedback.prolonged),
        9: None,
    }
    if sheet is not None and sheet.procedures is not None and sheet.procedures_online is not None:
        computed[9] = onestop.index9_from_online(
            sheet.procedures,
            sheet.procedures_online,
            online.dossiers,
            online.online,
            online.overdue_online,
        )
    values: dict[int, IndexValue] = {}
    for index in RECORDED_INDICES:
        recorded = getattr(sheet, f"index{index}") if sheet is not None else None
        if recorded is not None:
            values[index] = IndexValue(index, float(recorded), Source.RECORDED)
        elif computed.get(index) is not None:
            values[index] = IndexValue(index, float(computed[index] or 0), Source.COMPUTED)
        else:
            values[index] = IndexValue(index, None, Source.MISSING)
    return UnitIndices(unit, period, sheet, values, feedback, online, computed)


def complete_tt01(unit: Unit, period: onestop.Period) -> onestop.Tt01Result:
    """Circular 01 for ``unit`` and below over ``period``: the dossiers' and ratings' indices
    with the unit-level ones from the sheet or computed."""
    edition = load_shipped("circular-01-2018/2018").value
    assert edition is not None
    return with_unit_values(
        edition, aggregates.tt01_result(unit, period), unit_indices(unit, period).given()
    )


@dataclass(frozen=True)
class SheetEntry:
    index2: Decimal | None
    index5: int | None
    index6: int | None
    index8: int | None
    index9: int | None
    procedures: int | None
    procedures_online: int | None
    note: str


def record(unit: Unit, period: onestop.Period, user: User, entry: SheetEntry) -> UnitIndexSheet:
    """Save the unit's sheet for ``period`` (one per unit and period; saved again, it changes)."""
    values = {
        index: float(value)
        for index in RECORDED_INDICES
        if (value := getattr(entry, f"index{index}")) is not None
    }
    check_unit_values(values)
    with transaction.atomic():
        sheet, _ = UnitIndexSheet.objects.update_or_create(
            unit=unit,
            period=str(period),
            defaults={
                "index2": entry.index2,
                "index5": entry.index5,
                "index6": entry.index6,
                "index8": entry.index8,
                "index9": entry.index9,
                "procedures": entry.procedures,
                "procedures_online": entry.procedures_online,
                "note": entry.note,
                "recorded_by": user,
            },
        )
    return sheet
