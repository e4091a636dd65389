"""Bursts: more ratings from one device within a short window than a citizen at a counter gives.

They are stored and flagged (``burst``), not silently counted: indicators leave them out.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection

from parindex.server.accounts.models import User
from parindex.server.ratings.models import RatingKey

BURST_WINDOW = timedelta(seconds=getattr(settings, "RATINGS_BURST_WINDOW_SECONDS", 60))
BURST_LIMIT: int = getattr(settings, "RATINGS_BURST_LIMIT", 6)
"""More than this many ratings from one device within the window are flagged as a burst."""


class Bursts:
    """Flags a device's ratings given within ``BURST_WINDOW`` of ``BURST_LIMIT`` others.

    The others are the device's stored ratings, counted in the database once for the batch's
    moments (never more than ``BURST_LIMIT`` of them each: a device that sends thousands a
    minute must not make every request read them all), and the batch's own ratings flagged
    before, in the order they are taken.
    """

    def __init__(self, device: User | None, moments: Iterable[datetime]) -> None:
        self.device = device
        self.stored = stored_near(device, moments) if device is not None else {}
        self.taken: list[datetime] = []

    def flag(self, moment: datetime) -> bool:
        """Whether a rating given at ``moment`` is part of a burst; it counts for the next."""
        if self.device is None:
            return False
        near = (
            self.stored.get(moment, 0)
            + bisect.bisect_right(self.taken, moment + BURST_WINDOW)
            - bisect.bisect_left(self.taken, moment - BURST_WINDOW)
        )
        bisect.insort(self.taken, moment)
        return near >= BURST_LIMIT


def stored_near(device: User, moments: Iterable[datetime]) -> dict[datetime, int]:
    """For each moment, how many of the device's stored ratings lie within the window of it,
    counted up to ``BURST_LIMIT`` (one statement: each count an index range scan that stops
    at the limit)."""
    distinct = sorted(set(moments))
    if not distinct:
        return {}
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = []
    for key, moment in enumerate(distinct):
        params += [key, adapt(moment - BURST_WINDOW), adapt(moment + BURST_WINDOW)]
    # The keys hold each rating's device and moment: unpartitioned, read without touching
    # every monthly partition of the ratings (docs/onestop.md, "Bursts").
    table = connection.ops.quote_name(RatingKey._meta.db_table)
    rows = ", ".join(["(%s, %s, %s)"] * len(distinct))
    sql = (
        f"WITH moments (k, lo, hi) AS (VALUES {rows}) "
        "SELECT k, (SELECT COUNT(*) FROM ("
        f"SELECT 1 FROM {table} r WHERE r.device_id = %s"
        " AND r.submitted_at >= moments.lo AND r.submitted_at <= moments.hi"
        # Ordered: the index is walked and left at the limit (a bitmap scan reads the window).
        f" ORDER BY r.submitted_at LIMIT {int(BURST_LIMIT)}) near) FROM moments"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, device.pk])
        counts = dict(cursor.fetchall())
    return {moment: int(counts[key]) for key, moment in enumerate(distinct)}
