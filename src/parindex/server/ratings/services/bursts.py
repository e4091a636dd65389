"""Bursts: more ratings from one device within a short window than a citizen at a counter gives.

They are stored and flagged (``burst``), not silently counted: indicators leave them out.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

from parindex.server.accounts.models import User
from parindex.server.ratings.models import Rating

if TYPE_CHECKING:
    from parindex.server.ratings.services.intake import RatingInput

BURST_WINDOW = timedelta(seconds=getattr(settings, "RATINGS_BURST_WINDOW_SECONDS", 60))
BURST_LIMIT: int = getattr(settings, "RATINGS_BURST_LIMIT", 6)
"""More than this many ratings from one device within the window are flagged as a burst."""


def device_times(device: User | None, items: Sequence[RatingInput]) -> list[datetime]:
    """When the device's stored ratings were given, around the batch's times (sorted)."""
    if device is None or not items:
        return []
    first = min(i.submitted_at for i in items) - BURST_WINDOW
    last = max(i.submitted_at for i in items) + BURST_WINDOW
    query = Rating.objects.filter(device=device, submitted_at__gte=first, submitted_at__lte=last)
    return sorted(query.values_list("submitted_at", flat=True))


def is_burst(times: list[datetime], moment: datetime) -> bool:
    recent = bisect.bisect_right(times, moment + BURST_WINDOW) - bisect.bisect_left(
        times, moment - BURST_WINDOW
    )
    return recent >= BURST_LIMIT
