"""Monthly sums of the counted ratings per unit, so that the leader's dashboard over a year reads
a dozen summary rows instead of a million ratings (``RatingMonth``).

The rule (docs/onestop.md, "Monthly sums"):

- The current month and the one before are always read live from the ratings: they still grow.
- An older month is *closed*. The housekeeping run (``jobs/housekeeping.py``, every few hours in
  the worker) summarises each closed month of the last two years once, through the highest
  rating id then committed (``through_id``), and again whenever a rating has since landed in it.
- A rating that lands in a closed month after its summary (a device that was offline for weeks,
  a late paper form) is a *late* rating: it has an id above the month's ``through_id``, so a read
  adds the ratings above the mark to the summary's sums (read by id, a short range: only what
  arrived since the last housekeeping) until the next run folds them in. The figures are
  therefore the same with and without the summary at every moment; a test holds them equal.
- When more than ``LATE_LIMIT`` ratings wait above the marks (a bulk load since the last run) the
  read falls back to the live sums, as without a summary; ``demo_volume`` refreshes after its load.

The ingestion path writes nothing here: the summary is kept apart from storing a rating. It
relies on a stored rating never being changed or deleted (nothing in parindex does either; the
burst flag is set when the rating is stored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from parindex.core import onestop
from parindex.core.onestop.tt01 import Tallied
from parindex.server.ratings.models import Rating, RatingMonth

KEPT_MONTHS = 24
"""Closed months summarised, counted back from the two live ones."""
LATE_LIMIT = 5000
"""Ratings above the marks read one by one at most; beyond, the months are read live."""
DEVICE = tuple(f"index{i}" for i in onestop.DEVICE_INDICES)
SUMS: dict[str, Any] = {
    "ratings": Count("id"),
    "satisfaction": Sum("satisfaction"),
    **{f"s{name}": Sum(name) for name in DEVICE},
    **{f"n{name}": Count(name) for name in DEVICE},
}


@dataclass
class Sums:
    """Counted ratings, their satisfaction total, and per device index the points and how many
    ratings gave it."""

    ratings: int = 0
    satisfaction: int = 0
    points: dict[int, int] = field(default_factory=lambda: dict.fromkeys(onestop.DEVICE_INDICES, 0))
    given: dict[int, int] = field(default_factory=lambda: dict.fromkeys(onestop.DEVICE_INDICES, 0))

    def add_row(self, row: dict[str, Any]) -> None:
        self.ratings += int(row["ratings"] or 0)
        self.satisfaction += int(row["satisfaction"] or 0)
        for i in onestop.DEVICE_INDICES:
            self.points[i] += int(row[f"sindex{i}"] or 0)
            self.given[i] += int(row[f"nindex{i}"] or 0)

    def add_rating(self, satisfaction: int, answers: Iterable[int | None], sign: int = 1) -> None:
        self.ratings += sign
        self.satisfaction += sign * satisfaction
        for i, value in zip(onestop.DEVICE_INDICES, answers, strict=True):
            if value is not None:
                self.points[i] += sign * value
                self.given[i] += sign

    def add(self, other: Sums) -> None:
        self.ratings += other.ratings
        self.satisfaction += other.satisfaction
        for i in onestop.DEVICE_INDICES:
            self.points[i] += other.points[i]
            self.given[i] += other.given[i]

    @property
    def mean(self) -> float | None:
        return round(self.satisfaction / self.ratings, 2) if self.ratings else None

    def tallied(self) -> Tallied:
        return Tallied(dict(self.points), dict(self.given))


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s to ``last``'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def live_from(today: date) -> date:
    """The first day of the previous month: from it on, months are read live."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _window(first: date, following: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, datetime.min.time(), tz),
        datetime.combine(following, datetime.min.time(), tz),
    )


COUNTS = ("ratings", "satisfaction")


def live(units: set[int], month: date, answers: bool = True) -> Sums:
    """A month's sums from its ratings (without ``answers``, only the count and satisfaction:
    what the trend needs, fewer columns to add up)."""
    start, end = _window(month, next_month(month))
    wanted = SUMS if answers else {name: SUMS[name] for name in COUNTS}
    row = dict.fromkeys(SUMS, 0) | Rating.objects.filter(
        unit_id__in=units, burst=False, submitted_at__gte=start, submitted_at__lt=end
    ).aggregate(**wanted)
    sums = Sums()
    sums.add_row(row)
    return sums


def _watermark() -> int:
    """The highest rating id below which every rating is committed. On PostgreSQL a share lock
    waits for the transactions writing ratings to finish (ids are taken before commit, so a
    lower id may otherwise still be on its way); SQLite has one writer at a time."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE ratings_rating IN SHARE MODE")
        return int(Rating.objects.aggregate(top=Max("id"))["top"] or 0)


def summarise(month: date, through: int) -> None:
    """(Re)compute a month's rows from its ratings up to id ``through``, in one transaction."""
    start, end = _window(month, next_month(month))
    rows = (
        Rating.objects.filter(
            id__lte=through, burst=False, submitted_at__gte=start, submitted_at__lt=end
        )
        .values("unit_id")
        .annotate(**SUMS)
        .order_by()
    )
    with transaction.atomic():
        RatingMonth.objects.filter(month=month).delete()
        RatingMonth.objects.bulk_create(
            [RatingMonth(month=month, through_id=through, unit=None)]
            + [
                RatingMonth(
                    month=month,
                    through_id=through,
                    **{k: (v or 0) for k, v in row.items()},
                )
                for row in rows
            ]
        )


def refresh(today: date | None = None) -> int:
    """Summarise every closed month of the last ``KEPT_MONTHS`` not yet summarised, and again
    each one a rating has landed in since; returns how many months were (re)computed."""
    boundary = live_from(today or timezone.localdate())
    through = _watermark()
    marks = dict(RatingMonth.objects.filter(unit=None).values_list("month", "through_id"))
    first = boundary
    for _ in range(KEPT_MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
    done, unchanged = 0, []
    for month in months_between(first, boundary - timedelta(days=1)):
        mark = marks.get(month)
        if mark is not None:
            start, end = _window(month, next_month(month))
            late = Rating.objects.filter(
                id__gt=mark, id__lte=through, submitted_at__gte=start, submitted_at__lt=end
            )
            if not late.exists():
                unchanged.append(month)
                continue
        summarise(month, through)
        done += 1
    # No rating landed in these since their mark: their sums hold through ``through`` too.
    # Moving the marks up keeps a read's scan above the lowest mark short.
    RatingMonth.objects.filter(month__in=unchanged).update(through_id=through)
    RatingMonth.objects.filter(month__lt=first).delete()
    return done


def month_sums(
    units: set[int], months: list[date], today: date | None = None, answers: bool = True
) -> dict[date, Sums]:
    """The counted ratings of ``units`` in each of ``months``: closed months from their summary
    plus the late ratings above its mark, the others (and any not yet summarised) live (with
    the device ``answers`` summed, or only counts and satisfaction)."""
    boundary = live_from(today or timezone.localdate())
    closed = [m for m in months if m < boundary]
    marks: dict[date, int] = {}
    summed: dict[date, Sums] = {}
    for row in (
        RatingMonth.objects.filter(month__in=closed)
        .filter(Q(unit_id__in=units) | Q(unit=None))
        .values("unit_id", "month", "through_id", *SUMS)
    ):
        if row["unit_id"] is None:
            marks[row["month"]] = row["through_id"]
        else:
            summed.setdefault(row["month"], Sums()).add_row(row)
    if marks and not _add_late(units, marks, summed):
        marks = {}
    return {
        month: (summed.get(month, Sums()) if month in marks else live(units, month, answers))
        for month in months
    }


def _add_late(units: set[int], marks: dict[date, int], summed: dict[date, Sums]) -> bool:
    """Add the ratings above the marks to ``summed``; ``False`` when there are too many."""
    start, _ = _window(min(marks), min(marks))
    _, end = _window(max(marks), next_month(max(marks)))
    # Only the id and the time are constrained, so the read goes by id (the primary key) over
    # what arrived since the marks, not through a unit's month of ratings.
    late = list(
        Rating.objects.filter(
            id__gt=min(marks.values()), submitted_at__gte=start, submitted_at__lt=end
        )
        .order_by()
        .values_list("id", "unit_id", "burst", "submitted_at", "satisfaction", *DEVICE)[
            : LATE_LIMIT + 1
        ]
    )
    if len(late) > LATE_LIMIT:
        return False
    for rating_id, unit_id, burst, submitted, satisfaction, *answers in late:
        month = timezone.localtime(submitted).date().replace(day=1)
        if unit_id in units and not burst and month in marks and rating_id > marks[month]:
            summed.setdefault(month, Sums()).add_rating(satisfaction, answers)
    return True


def total(units: set[int], first: date, last: date) -> Sums:
    """The counted ratings of ``units`` from ``first`` to ``last`` (whole months)."""
    sums = Sums()
    for month in month_sums(units, months_between(first, last)).values():
        sums.add(month)
    return sums


def any_closed(first: date, today: date | None = None) -> bool:
    return first < live_from(today or timezone.localdate())
