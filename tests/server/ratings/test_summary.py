"""The dashboard's monthly sums (``ratings/summary.py``): the leader's figures — the twelve-month
trend and the year's Circular 01 — are the same read from the summary as read from every rating,
also after a late rating lands in a closed month (before and after housekeeping folds it in), and
when too many late ratings wait (read live)."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from parindex.core.onestop import Period, PeriodKind
from parindex.server.ratings import aggregates, dashboard, summary
from parindex.server.ratings.models import Dossier, Rating, RatingMonth

from . import oracle
from .conftest import Site

TODAY = timezone.localdate()


def month_back(months: int, day: int = 10, hour: int = 9) -> datetime:
    first = TODAY.replace(day=1)
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
    return timezone.make_aware(datetime(first.year, first.month, day, hour))


def _rate(unit: Any, when: datetime, pick: random.Random, **extra: Any) -> Rating:
    def answer() -> int | None:
        return pick.choice([0, 1, 2, None])

    values: dict[str, Any] = {
        "channel": "device", "satisfaction": pick.randint(1, 5), "index1": answer(),
        "index3": answer(), "index4": answer(), "index7": answer(),
        "officer": pick.choice(["", "Cán bộ A", "Cán bộ B"]),
    }  # fmt: skip
    return Rating.objects.create(
        client_id=uuid.uuid4(), unit=unit, submitted_at=when, **(values | extra)
    )


def _world(site: Site) -> None:
    pick = random.Random(16)
    for back in range(9):
        for k in range(12):
            unit = site.other if k == 0 else site.centre  # one rating outside the province
            _rate(unit, month_back(back, 1 + k * 2, 8 + k % 9), pick, burst=k == 5)
    # A dossier received in a closed month, rated then; and one rated on two channels.
    for code, back in (("HS-1", 4), ("HS-2", 5)):
        Dossier.objects.create(
            code=code, procedure="1.001", unit=site.centre, received=month_back(back, 3),
            appointment=month_back(back, 20), finished=month_back(back, 12),
        )  # fmt: skip
        _rate(site.centre, month_back(back, 14), pick, dossier_code=code)
    _rate(site.centre, month_back(5, 15), pick, dossier_code="HS-2", channel="online")
    # Twenty more, all answered 0 on every index: counted with their dossiers, never twice.
    zeros = {f"index{i}": 0 for i in (1, 3, 4, 7)}
    for k in range(20):
        code = f"HS-Z{k}"
        Dossier.objects.create(
            code=code, procedure="1.002", unit=site.centre, received=month_back(4, 4),
            appointment=month_back(4, 25), finished=month_back(4, 26),
        )  # fmt: skip
        _rate(site.centre, month_back(4, 5 + k % 20), pick, dossier_code=code, **zeros)


def _figures(site: Site) -> tuple[Any, ...]:
    board = dashboard.dashboard(site.province, TODAY)  # type: ignore[arg-type]
    year = month_back(4).year  # a year with closed months in it, whatever today is
    period = Period(PeriodKind.YEAR, year)
    shown = dashboard.indicators(site.province, period)  # type: ignore[arg-type]
    # The year's Circular 01 as computed rating by rating (every rating read as an object).
    assert aggregates.tt01_result(site.province, period) == oracle.tt01_result(  # type: ignore[arg-type]
        site.province,  # type: ignore[arg-type]
        period,
    )
    return board.trend, shown.tt01, board.month


def test_the_figures_are_the_same_with_and_without_the_monthly_sums(site: Site) -> None:
    _world(site)
    live = _figures(site)
    assert sum(month["count"] for month in live[0]) == 9 * 10 + 3 + 20  # bursts and the other out
    assert summary.refresh(TODAY) == summary.KEPT_MONTHS
    # Closed months are read from the summary: 7 of the 9 rated ones (two are live).
    assert RatingMonth.objects.filter(unit=site.centre).count() == 7
    assert _figures(site) == live

    # A late rating (a device offline for months) lands in a closed month.
    late = _rate(site.centre, month_back(3, 28), random.Random(3), index1=0, satisfaction=1)
    with_sums = _figures(site)
    assert with_sums != live  # it shows at once, above the month's mark
    RatingMonth.objects.all().delete()
    assert _figures(site) == with_sums  # the same as read from every rating
    summary.refresh(TODAY)
    late2 = _rate(site.centre, month_back(6, 27), random.Random(4), satisfaction=5)
    # Housekeeping folds the late rating into its month only.
    assert summary.refresh(TODAY) == 1
    assert late.pk < late2.pk
    # Every mark moves up to the newest rating: a read scans nothing above them.
    assert set(RatingMonth.objects.values_list("through_id", flat=True)) == {late2.pk}
    folded = _figures(site)
    RatingMonth.objects.all().delete()
    assert _figures(site) == folded


def test_too_many_late_ratings_are_read_live(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    _world(site)
    summary.refresh(TODAY)
    pick = random.Random(5)
    for day in (5, 6, 7):
        _rate(site.centre, month_back(4, day), pick)
    monkeypatch.setattr(summary, "LATE_LIMIT", 2)
    read = _figures(site)
    RatingMonth.objects.all().delete()
    assert _figures(site) == read


def test_the_live_months_are_this_one_and_the_one_before() -> None:
    assert summary.live_from(date(2026, 11, 30)) == date(2026, 10, 1)
    assert summary.live_from(date(2026, 1, 1)) == date(2025, 12, 1)
