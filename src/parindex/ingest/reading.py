"""What a device sends, read by msgspec: a strict subset of the site's pydantic ``RatingIn``.

Anything these types refuse (a number sent as a string, a time without its offset, a field
too long, a batch over the limit, a text PostgreSQL cannot store) is not refused here: the front
hands the request to the site, whose refusal is the one the API words. So nothing is accepted
here that the site refuses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from parindex.core.onestop.rating import storable

MAX_BATCH = 500
"""As ``server.ratings.payloads.MAX_BATCH``."""

Points = Annotated[int, msgspec.Meta(ge=0, le=2)]


class Rating(msgspec.Struct, frozen=True):
    client_id: UUID
    satisfaction: Annotated[int, msgspec.Meta(ge=1, le=5)]
    submitted_at: Annotated[datetime, msgspec.Meta(tz=True)]
    dossier_code: Annotated[str, msgspec.Meta(max_length=64)] = ""
    counter: Annotated[str, msgspec.Meta(max_length=64)] = ""
    index1: Points | None = None
    index3: Points | None = None
    index4: Points | None = None
    index7: Points | None = None
    comment: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class Batch(msgspec.Struct, frozen=True):
    items: Annotated[list[Rating], msgspec.Meta(max_length=MAX_BATCH)]


_one = msgspec.json.Decoder(Rating)
_many = msgspec.json.Decoder(Batch)


def _storable(rating: Rating) -> bool:
    return all(storable(t) for t in (rating.counter, rating.comment, rating.dossier_code) if t)


def one(body: bytes) -> Rating | None:
    """The rating in ``body``, or ``None`` when the site must read it."""
    try:
        rating = _one.decode(body)
    except msgspec.DecodeError:
        return None
    return rating if _storable(rating) else None


def many(body: bytes) -> list[Rating] | None:
    """The ratings of a batch ``body``, or ``None`` when the site must read it."""
    try:
        ratings = _many.decode(body).items
    except msgspec.DecodeError:
        return None
    return ratings if all(_storable(r) for r in ratings) else None
