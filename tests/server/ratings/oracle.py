"""The Circular 01 and Decision 766 results counted rating by rating, as the rules read: the
oracle the database's sums (``ratings.aggregates``, what the site uses) are held equal to."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from parindex.core import onestop
from parindex.core.methodology.shipped import load_shipped
from parindex.server.accounts.models import Unit
from parindex.server.ratings.models import Dossier, Rating
from parindex.server.ratings.services import DISLIKE, calendar, core_dossier, subtree


def _in_period(unit: Unit, period: onestop.Period) -> tuple[list[Dossier], list[Rating]]:
    units = subtree(unit)
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, datetime.min.time(), tz)
    end = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), tz)
    dossiers = list(
        Dossier.objects.filter(unit_id__in=units, received__gte=start, received__lt=end)
    )
    ratings = list(
        Rating.objects.filter(
            unit_id__in=units, submitted_at__gte=start, submitted_at__lt=end, burst=False
        )
    )
    return dossiers, ratings


def _rated(rating: Rating) -> dict[int, int]:
    return {
        i: getattr(rating, f"index{i}")
        for i in onestop.DEVICE_INDICES
        if getattr(rating, f"index{i}") is not None
    }


def tt01_result(
    unit: Unit, period: onestop.Period, unit_scores: dict[int, int] | None = None
) -> onestop.Tt01Result:
    """Circular 01/2018 for ``unit`` and every unit below it over ``period``."""
    edition = load_shipped("circular-01-2018/2018").value
    assert edition is not None
    dossiers, ratings = _in_period(unit, period)
    by_code = {d.code: d for d in dossiers}
    cal = calendar()
    scored: list[dict[int, int]] = []
    rated_codes: set[str] = set()
    for rating in ratings:
        dossier = by_code.get(rating.dossier_code)
        if dossier is not None and rating.dossier_code not in rated_codes:
            rated_codes.add(rating.dossier_code)
            scored.append(onestop.dossier_scores(core_dossier(dossier), _rated(rating), cal))
        elif dossier is None:
            scored.append(_rated(rating))
    for code, dossier in by_code.items():
        if code not in rated_codes:
            scores = onestop.dossier_scores(core_dossier(dossier), {}, cal)
            if scores:
                scored.append(scores)
    return onestop.unit_result(edition, scored, unit_scores or {})


def officer_results(unit: Unit, period: onestop.Period) -> dict[str, onestop.Tt01Result]:
    """Each officer's Circular 01 score (indices 1, 2, 3, 4, 7) over the rated dossiers they
    handled in ``period``, by officer name."""
    edition = load_shipped("circular-01-2018/2018").value
    assert edition is not None
    dossiers, ratings = _in_period(unit, period)
    by_code = {d.code: d for d in dossiers}
    cal = calendar()
    scored: dict[str, list[dict[int, int]]] = {}
    for rating in ratings:
        if not rating.officer:
            continue
        dossier = by_code.get(rating.dossier_code)
        scores = (
            onestop.dossier_scores(core_dossier(dossier), _rated(rating), cal)
            if dossier
            else _rated(rating)
        )
        scored.setdefault(rating.officer, []).append(scores)
    return {
        officer: onestop.officer_result(edition, rows) for officer, rows in sorted(scored.items())
    }


def d766_result(
    unit: Unit,
    period: onestop.Period,
    feedback: dict[str, int] | None = None,
    as_of: date | None = None,
) -> onestop.D766Result:
    """Decision 766 for ``unit`` and below over ``period``, as far as dossier, rating and feedback
    data go. This is the service a PAR INDEX ``computed:`` component calls for a unit's result.
    """
    edition = load_shipped("decision-766/2022").value
    assert edition is not None
    dossiers, ratings = _in_period(unit, period)
    flagged = {r.dossier_code for r in ratings if r.dossier_code and r.satisfaction <= DISLIKE}
    rates = onestop.dossier_rates(
        (core_dossier(d) for d in dossiers),
        calendar(),
        as_of or min(period.end, timezone.localdate()),
        flagged,
    )
    if feedback is None:
        # Imported here: the feedback app builds on this module (calendar, dossiers).
        from parindex.server.feedback.services import feedback_counts

        feedback = feedback_counts(
            subtree(unit), period.start, period.end, as_of or timezone.localdate()
        )
    rates.update(onestop.feedback_rates(**feedback))
    return onestop.score(edition, rates)
