"""The statutory deadlines of feedback (PAKN) enforced: which items have missed one (handling
within 15 working days, publication within 2), the overdue record each lapse leaves, and the
windows for refusing (2 working days) and asking for more information (5) that close. The rules
are ``parindex.core.onestop.feedback``; the working days come from the configured calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parindex.core.onestop.feedback import InfoClock, Lapse, Stage, lapses
from parindex.server.feedback.models import Apology, Feedback, FeedbackLapse
from parindex.server.ratings.services import calendar

LIVE = (Feedback.State.RECEIVED, Feedback.State.INFO_REQUESTED, Feedback.State.ANSWERED)
"""States in which a deadline can still pass (open, or answered and not yet published)."""


@dataclass(frozen=True)
class OverdueItem:
    item: Feedback
    lapses: list[Lapse]


def lapses_of(item: Feedback, as_of: date) -> list[Lapse]:
    return lapses(
        Stage(item.state),
        item.handle_due,
        item.answered_on,
        item.publish_due,
        item.published_on,
        as_of,
        calendar(),
        info_clock(),
    )


def info_clock() -> InfoClock:
    """The configured effect of a request for more information on the handling deadline."""
    return InfoClock(settings.FEEDBACK_INFO_CLOCK)


def overdue_items(units: set[int], as_of: date | None = None) -> list[OverdueItem]:
    """Items of ``units`` past a deadline they have still to meet: open past the handling
    deadline, or answered and not published in time; the longest overdue first."""
    day = as_of or timezone.localdate()
    candidates = Feedback.objects.filter(unit_id__in=units, state__in=LIVE).select_related("unit")
    found = []
    for item in candidates:
        missed = [lapse for lapse in lapses_of(item, day) if _pending(item, lapse)]
        if missed:
            found.append(OverdueItem(item, missed))
    return sorted(found, key=lambda o: (min(lapse.due for lapse in o.lapses), o.item.reference))


def _pending(item: Feedback, lapse: Lapse) -> bool:
    """Whether the lapsed step is still to be done (rather than done late)."""
    if lapse.step == "handle":
        return item.state != Feedback.State.ANSWERED
    return item.published_on is None


def record_lapses(as_of: date | None = None) -> int:
    """One overdue record per item and missed deadline, created the first time it is seen
    (daily, with the apologies); returns how many were created."""
    day = as_of or timezone.localdate()
    created = 0
    with transaction.atomic():
        units = set(Feedback.objects.order_by().values_list("unit_id", flat=True).distinct())
        for overdue in overdue_items(units, day):
            for lapse in overdue.lapses:
                _, new = FeedbackLapse.objects.get_or_create(
                    feedback=overdue.item,
                    step=lapse.step.value,
                    defaults={"due_on": lapse.due, "recorded_on": day},
                )
                created += new
    return created


def outstanding_apologies(units: set[int]) -> list[Apology]:
    return list(
        Apology.objects.filter(unit_id__in=units, completed_on__isnull=True).order_by("due_on")
    )
