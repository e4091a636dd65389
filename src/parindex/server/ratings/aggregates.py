"""A unit's Circular 01 and Decision 766 results computed with the database doing the sums, for
pages that must answer in under a second over a million ratings (the leader's dashboard).

The rules (held equal to a rating-by-rating count by tests/server/ratings/oracle.py): a rating
naming a dossier received in the period is scored with the dossier's times (index 1) and counts
once per dossier (the first given); every other rating is scored on its own answers. Those
others are most ratings (every rating given without a dossier code), so they are summed by one
query per result (``SUM`` and ``COUNT`` of each index, read from the covering index
``rating_unit_time_answers``) instead of being loaded as objects; only the dossier-linked ones
are read row by row.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from parindex.core import onestop
from parindex.core.methodology.rules.base import Ratio
from parindex.core.methodology.shipped import load_shipped
from parindex.core.onestop.tt01 import Tallied
from parindex.server.accounts.models import Unit
from parindex.server.feedback.services import feedback_counts
from parindex.server.ratings import services, summary
from parindex.server.ratings.models import Dossier, Rating

DEVICE = tuple(f"index{i}" for i in onestop.DEVICE_INDICES)
SUMS: dict[str, Any] = {
    **{f"s{name}": Sum(name) for name in DEVICE},
    **{f"n{name}": Count(name) for name in DEVICE},
}


def _window(period: onestop.Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, datetime.min.time(), tz)
    return start, datetime.combine(period.end + timedelta(days=1), datetime.min.time(), tz)


def _scope(unit: Unit, period: onestop.Period) -> tuple[QuerySet[Dossier], QuerySet[Rating]]:
    units = services.subtree(unit)
    start, end = _window(period)
    dossiers = Dossier.objects.filter(unit_id__in=units, received__gte=start, received__lt=end)
    ratings = Rating.objects.filter(
        unit_id__in=units, submitted_at__gte=start, submitted_at__lt=end, burst=False
    )
    return dossiers, ratings


def _split(
    ratings: QuerySet[Rating], dossiers: QuerySet[Dossier], any_dossier: bool
) -> tuple[QuerySet[Rating], QuerySet[Rating]]:
    """The ratings scored on their own answers, and those naming a dossier of the period; with
    no dossier in the period the second is empty without a query (and the first unfiltered)."""
    if not any_dossier:
        return ratings, ratings.none()
    codes = dossiers.values("code")
    return ratings.exclude(dossier_code__in=codes), ratings.filter(dossier_code__in=codes)


def _tallied(row: Any) -> Tallied:
    return Tallied(
        {i: int(row[f"sindex{i}"] or 0) for i in onestop.DEVICE_INDICES},
        {i: int(row[f"nindex{i}"] or 0) for i in onestop.DEVICE_INDICES},
    )


def _rated(row: tuple[Any, ...]) -> dict[int, int]:
    """A rating's answers (``row``: its four device indices in order), those given."""
    return {i: v for i, v in zip(onestop.DEVICE_INDICES, row, strict=True) if v is not None}


def tt01_result(
    unit: Unit, period: onestop.Period, unit_scores: dict[int, float] | None = None
) -> onestop.Tt01Result:
    """Circular 01 for ``unit`` and every unit below it over ``period``."""
    edition = load_shipped("circular-01-2018/2018").value
    assert edition is not None
    dossiers, ratings = _scope(unit, period)
    by_code = {d.code: d for d in dossiers}
    loose, linked = _split(ratings, dossiers, bool(by_code))
    cal = services.calendar()
    scored: list[dict[int, int]] = []
    rated: set[str] = set()
    linked_rows = list(linked.order_by("submitted_at", "id").values_list("dossier_code", *DEVICE))
    for code, *answers in linked_rows:
        if code not in rated:
            rated.add(code)
            facts = services.core_dossier(by_code[code])
            scored.append(onestop.dossier_scores(facts, _rated(tuple(answers)), cal))
    for code, dossier in by_code.items():
        if code not in rated:
            scores = onestop.dossier_scores(services.core_dossier(dossier), {}, cal)
            if scores:
                scored.append(scores)
    return onestop.unit_result(
        edition, scored, unit_scores or {}, _loose_tally(unit, period, loose, linked_rows)
    )


def _loose_tally(
    unit: Unit, period: onestop.Period, loose: QuerySet[Rating], linked: list[tuple[Any, ...]]
) -> Tallied:
    """The device indices of the ratings scored on their own answers. When the period has
    closed months: the period's monthly sums (``summary``) less the dossier-linked ratings
    (already read), rather than a scan of every rating of the period."""
    if not summary.any_closed(period.start):
        return _tallied(loose.aggregate(**SUMS))
    sums = summary.total(services.subtree(unit), period.start, period.end)
    for _code, *answers in linked:
        sums.add_rating(0, answers, sign=-1)
    return sums.tallied()


def officer_results(unit: Unit, period: onestop.Period) -> dict[str, onestop.Tt01Result]:
    """Each officer's Circular 01 score (indices 1, 2, 3, 4, 7) over the ratings of dossiers they
    handled in ``period``, by officer name."""
    edition = load_shipped("circular-01-2018/2018").value
    assert edition is not None
    dossiers, ratings = _scope(unit, period)
    by_code = {d.code: d for d in dossiers}
    apart, together = _split(ratings.exclude(officer=""), dossiers, bool(by_code))
    loose = {row["officer"]: _tallied(row) for row in apart.values("officer").annotate(**SUMS)}
    cal = services.calendar()
    linked: dict[str, list[dict[int, int]]] = {}
    for officer, code, *answers in together.values_list("officer", "dossier_code", *DEVICE):
        facts = services.core_dossier(by_code[code])
        linked.setdefault(officer, []).append(
            onestop.dossier_scores(facts, _rated(tuple(answers)), cal)
        )
    return {
        officer: onestop.officer_result(edition, linked.get(officer, []), loose.get(officer))
        for officer in sorted(set(loose) | set(linked))
    }


def d766_rates(
    unit: Unit,
    period: onestop.Period,
    feedback: dict[str, int] | None = None,
    as_of: date | None = None,
) -> dict[str, Ratio]:
    """Decision 766's rates for ``unit`` and below over ``period``, as far as dossier, rating
    and feedback data go: only the codes of dossiers rated 1–2 are read from the ratings."""
    dossiers, ratings = _scope(unit, period)
    # Only the period's dossiers are judged, so only their ratings can flag one.
    _, linked = _split(ratings, dossiers, dossiers.exists())
    flagged = set(
        linked.filter(satisfaction__lte=services.DISLIKE)
        .values_list("dossier_code", flat=True)
        .distinct()
    )
    rates = onestop.dossier_rates(
        (services.core_dossier(d) for d in dossiers),
        services.calendar(),
        as_of or min(period.end, timezone.localdate()),
        flagged,
    )
    if feedback is None:
        feedback = feedback_counts(
            services.subtree(unit), period.start, period.end, as_of or timezone.localdate()
        )
    rates.update(onestop.feedback_rates(**feedback))
    return rates


def d766_result(
    unit: Unit,
    period: onestop.Period,
    feedback: dict[str, int] | None = None,
    as_of: date | None = None,
) -> onestop.D766Result:
    """Decision 766 for ``unit`` and below over ``period`` (``d766_rates`` scored)."""
    edition = load_shipped("decision-766/2022").value
    assert edition is not None
    return onestop.score(edition, d766_rates(unit, period, feedback, as_of))
