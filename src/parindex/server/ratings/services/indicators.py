"""What the indicators of one-stop counters share: the working calendar and the dislike level.
The results themselves are counted by the database (``ratings.aggregates``)."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from parindex.core import onestop


def calendar() -> onestop.WorkingCalendar:
    """The working calendar, with the Government's yearly changes from settings."""
    return onestop.WorkingCalendar.of(
        extra_holidays=(date.fromisoformat(d) for d in getattr(settings, "EXTRA_HOLIDAYS", ())),
        working_days=(date.fromisoformat(d) for d in getattr(settings, "MAKEUP_WORKING_DAYS", ())),
    )


DISLIKE = 2
"""Satisfaction at or below this level (of 5) counts as a "dislike" for Decision 766's 5.4."""
