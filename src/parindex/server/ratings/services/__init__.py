"""Storing dossiers and ratings, and computing a unit's Circular 01 and Decision 766 results,
one module per concept: the units an account speaks for (``units``), tokens and kiosk accounts
(``devices``), dossiers pushed or imported (``dossiers``), ratings taken in (``intake``), written
a batch at a time (``storage``) and the bursts flagged among them (``bursts``), receipts' online
rating links (``links``) and the indicators (``indicators``).

Every write here is all or nothing for dossiers (an import with one bad row stores none) and
item by item for ratings (a bad rating in a device's batch does not hold back the good ones);
either way the caller answers only after the transaction has committed.
"""

from __future__ import annotations

from parindex.server.ratings.services.bursts import BURST_LIMIT, BURST_WINDOW
from parindex.server.ratings.services.devices import KIOSK_IDLE_SECONDS, device_unit, token_for
from parindex.server.ratings.services.dossiers import (
    aware,
    core_dossier,
    import_dossiers,
    store_dossiers,
)
from parindex.server.ratings.services.indicators import DISLIKE, calendar
from parindex.server.ratings.services.intake import RatingInput, ingest
from parindex.server.ratings.services.links import (
    LINK_MAX_AGE,
    LINK_SALT,
    dossier_for_token,
    online_rating_taken,
    rating_token,
)
from parindex.server.ratings.services.storage import Outcome, RatingResult
from parindex.server.ratings.services.units import subtree

__all__ = [
    "BURST_LIMIT",
    "BURST_WINDOW",
    "DISLIKE",
    "KIOSK_IDLE_SECONDS",
    "LINK_MAX_AGE",
    "LINK_SALT",
    "Outcome",
    "RatingInput",
    "RatingResult",
    "aware",
    "calendar",
    "core_dossier",
    "device_unit",
    "dossier_for_token",
    "import_dossiers",
    "ingest",
    "online_rating_taken",
    "rating_token",
    "store_dossiers",
    "subtree",
    "token_for",
]
