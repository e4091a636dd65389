"""The burst rule written out by hand (docs/onestop.md), for the tests of every way a rating is
stored: the site's, the one statement's and the front's flags are held to it."""

from __future__ import annotations

import uuid
from datetime import datetime


def expected_flags(stored: list[datetime], batch: list[tuple[datetime, uuid.UUID]]) -> list[bool]:
    """A rating is a burst when at least LIMIT of the device's other ratings lie within WINDOW
    of it: stored ones (counted up to LIMIT) and the batch's ones taken before it, in the order
    time, client id."""
    from parindex.server.ratings import services

    limit, window = services.BURST_LIMIT, services.BURST_WINDOW
    taken: list[datetime] = []
    flags = {}
    for at, client_id in sorted(batch):
        near_stored = min(limit, sum(abs(s - at) <= window for s in stored))
        near_taken = sum(abs(t - at) <= window for t in taken)
        flags[client_id] = near_stored + near_taken >= limit
        taken.append(at)
    return [flags[c] for _, c in batch]
