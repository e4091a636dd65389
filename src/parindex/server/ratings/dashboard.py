"""What a unit leader sees of the counters: today's and this month's ratings, officers, low
ratings, overdue feedback and dossiers, and the monthly trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count
from django.utils import timezone

from parindex.core import onestop
from parindex.core.methodology import GradingScale
from parindex.core.methodology.shipped import load_shipped
from parindex.core.onestop import Period, PeriodKind
from parindex.server.accounts.models import Unit
from parindex.server.feedback.deadlines import OverdueItem, overdue_items
from parindex.server.feedback.models import Apology
from parindex.server.ratings import summary
from parindex.server.ratings.aggregates import d766_result, officer_results
from parindex.server.ratings.demo_volume import in_progress
from parindex.server.ratings.index_sheet import complete_tt01
from parindex.server.ratings.models import Rating, RatingGeneration
from parindex.server.ratings.services import subtree

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
    overdue_feedback: list[OverdueItem]
    apologies: list[Apology]
    trend: list[dict[str, Any]]
    generating: RatingGeneration | None = None
    """The demo's synthetic ratings still being generated in the background, if any."""


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
    # The twelve months from their monthly sums (closed months) or live (this month and the
    # one before): a dozen summary rows rather than a year of ratings (ratings/summary.py).
    months = [start_of_month.date()]
    for _ in range(11):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    trend = [
        {"month": month.strftime("%Y-%m"), "mean": sums.mean, "count": sums.ratings}
        for month, sums in summary.month_sums(units, months, day, answers=False).items()
        if sums.ratings
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
        overdue_feedback=overdue_items(units, day),
        apologies=list(
            Apology.objects.filter(unit_id__in=units, completed_on__isnull=True).order_by("due_on")[
                :50
            ]
        ),
        trend=trend,
        generating=in_progress(),
    )


def trend_spec(
    trend: list[dict[str, Any]], title: str, axis_month: str, axis_mean: str, label_count: str
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
            # In the data's order (oldest first): "01/2027" would sort before "12/2026".
            "x": {"field": "month", "type": "ordinal", "title": axis_month, "sort": None},
            "y": {
                "field": "mean",
                "type": "quantitative",
                "title": axis_mean,
                "scale": {"domain": [1, 5]},
            },
            # Titled, or the tooltip shows the data's field names ("mean", "count").
            "tooltip": [
                {"field": "month", "title": axis_month},
                {"field": "mean", "title": axis_mean, "format": ".2f"},
                {"field": "count", "title": label_count},
            ],
        },
    }


@dataclass(frozen=True)
class Indicators:
    """A unit's Circular 01 and Decision 766 results for a period, with band names to show."""

    period: Period
    tt01: onestop.Tt01Result
    tt01_band: str
    d766: onestop.D766Result
    d766_grade: str
    d766_rows: list[tuple[str, str, float | None]]

    @property
    def d766_with_data(self) -> int:
        """How many Decision 766 indicators had data: the grade is provisional below all."""
        return sum(points is not None for _id, _name, points in self.d766_rows)


def _band_name(scale: GradingScale | None, code: str, english: bool) -> str:
    for band in scale.bands if scale else ():
        if band.code == code:
            return band.name_en if english and band.name_en else band.name_vi
    return ""


def indicators(unit: Unit, period: Period, english: bool = False) -> Indicators:
    # Complete with the unit-level indices (2, 5, 6, 8, 9) recorded on the sheet or computed.
    tt01 = complete_tt01(unit, period)
    d766 = d766_result(unit, period)
    tt01_edition = load_shipped("circular-01-2018/2018").value
    d766_edition = load_shipped("decision-766/2022").value
    assert tt01_edition is not None and d766_edition is not None
    return Indicators(
        period,
        tt01,
        _band_name(tt01_edition.grading, tt01.band, english),
        d766,
        _band_name(d766_edition.grading, d766.grade, english),
        [
            (node, d766_edition.names(english).get(node, ""), points)
            for node, points in d766.points.items()
        ],
    )
