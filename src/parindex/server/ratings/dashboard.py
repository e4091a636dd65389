"""What a unit leader sees of the counters: today's and this month's ratings, officers, low
ratings, overdue feedback and dossiers, and the monthly trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from parindex.core.onestop import Period, PeriodKind
from parindex.server.accounts.models import Unit
from parindex.server.feedback.models import Apology, Feedback
from parindex.server.feedback.services import overdue
from parindex.server.ratings.models import Rating
from parindex.server.ratings.services import officer_results, subtree

LOW = 2
"""Ratings at or below this satisfaction level (of 5) raise an alert."""


@dataclass(frozen=True)
class Tally:
    count: int
    mean: float | None


@dataclass(frozen=True)
class OfficerRow:
    officer: str
    ratings: int
    mean: float | None
    total: float
    band: str


@dataclass(frozen=True)
class Dashboard:
    unit: Unit
    today: Tally
    month: Tally
    officers: list[OfficerRow]
    alerts: list[Rating]
    overdue_feedback: list[Feedback]
    apologies: list[Apology]
    trend: list[dict[str, Any]]


def _tally(ratings: Any) -> Tally:
    figures = ratings.aggregate(count=Count("id"), mean=Avg("satisfaction"))
    mean = figures["mean"]
    return Tally(figures["count"], round(float(mean), 2) if mean is not None else None)


def dashboard(unit: Unit, today: date | None = None) -> Dashboard:
    day = today or timezone.localdate()
    units = subtree(unit)
    tz = timezone.get_current_timezone()
    counted = Rating.objects.filter(unit_id__in=units, burst=False)
    start_of_day = datetime.combine(day, datetime.min.time(), tz)
    start_of_month = start_of_day.replace(day=1)
    month = counted.filter(
        submitted_at__gte=start_of_month, submitted_at__lt=start_of_day + timedelta(days=1)
    )
    per_officer = {
        row["officer"]: row
        for row in month.exclude(officer="")
        .values("officer")
        .annotate(n=Count("id"), mean=Avg("satisfaction"))
    }
    officers = [
        OfficerRow(
            officer,
            per_officer[officer]["n"] if officer in per_officer else 0,
            round(float(per_officer[officer]["mean"]), 2) if officer in per_officer else None,
            result.total,
            result.band,
        )
        for officer, result in officer_results(
            unit, Period(PeriodKind.MONTH, day.year, day.month)
        ).items()
    ]
    year_ago = (start_of_month - timedelta(days=335)).replace(day=1)
    trend = [
        {
            "month": row["month"].astimezone(tz).strftime("%Y-%m"),
            "mean": round(float(row["mean"]), 3),
            "count": row["n"],
        }
        for row in counted.filter(submitted_at__gte=year_ago)
        .annotate(month=TruncMonth("submitted_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("id"), mean=Avg("satisfaction"))
        .order_by("month")
    ]
    return Dashboard(
        unit=unit,
        today=_tally(
            counted.filter(
                submitted_at__gte=start_of_day, submitted_at__lt=start_of_day + timedelta(days=1)
            )
        ),
        month=_tally(month),
        officers=officers,
        alerts=list(
            counted.filter(
                satisfaction__lte=LOW, submitted_at__gte=start_of_day - timedelta(days=7)
            ).order_by("-submitted_at")[:20]
        ),
        overdue_feedback=overdue(units, day),
        apologies=list(
            Apology.objects.filter(unit_id__in=units, completed_on__isnull=True).order_by("due_on")[
                :50
            ]
        ),
        trend=trend,
    )


def trend_spec(
    trend: list[dict[str, Any]], title: str, axis_month: str, axis_mean: str
) -> dict[str, Any]:
    """A Vega-Lite line chart of mean satisfaction by month (labels passed in, translated)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 640,
        "height": 220,
        "data": {"values": trend},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": axis_month},
            "y": {
                "field": "mean",
                "type": "quantitative",
                "title": axis_mean,
                "scale": {"domain": [1, 5]},
            },
            "tooltip": [{"field": "month"}, {"field": "mean"}, {"field": "count"}],
        },
    }
