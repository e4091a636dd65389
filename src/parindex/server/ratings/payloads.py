"""The bodies of the rating routes: what a device sends (``RatingIn``) and the answers
(``ItemOut``, ``BatchOut``), and the short way of reading them.

Reading a rating through pydantic costs more than storing it. ``canonical_rating`` reads the
form every device and integration sends (an object of JSON strings and integers, a UUID in its
36-character form, an ISO 8601 time with its offset) in a plain loop; anything else it leaves to
``RatingIn``, whose refusal is the one the API words (``"satisfaction: Input should be …"``).
It accepts nothing ``RatingIn`` refuses: every shortcut is a strict subset of pydantic's rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field, ValidationError, field_validator

from parindex.core.onestop.rating import storable
from parindex.server.accounts.models import Unit, User
from parindex.server.ratings import services
from parindex.server.ratings.models import Channel

MAX_BATCH = 500


# Ratings and batches are plain pydantic models, not Ninja's ``Schema``: its root validator
# (which reads Django objects attribute by attribute) cost more than the rest of a batch.
class RatingIn(BaseModel):
    client_id: UUID
    satisfaction: int = Field(ge=1, le=5)
    submitted_at: datetime
    dossier_code: str = Field(default="", max_length=64)
    counter: str = Field(default="", max_length=64)
    index1: int | None = Field(default=None, ge=0, le=2)
    index3: int | None = Field(default=None, ge=0, le=2)
    index4: int | None = Field(default=None, ge=0, le=2)
    index7: int | None = Field(default=None, ge=0, le=2)
    comment: str = Field(default="", max_length=2000)

    # Texts a database cannot store (a NUL, a lone surrogate) are refused here, worded.
    @field_validator("dossier_code", "counter", "comment")
    @classmethod
    def _storable(cls, text: str) -> str:
        if not storable(text):
            raise ValueError("contains a character that cannot be stored (NUL or a lone surrogate)")
        return text


class ItemOut(BaseModel):
    index: int
    outcome: str
    id: int | None = None
    errors: list[str] = []
    burst: bool = False


class BatchIn(BaseModel):
    items: list[dict[str, Any]] = Field(max_length=MAX_BATCH)


class BatchOut(BaseModel):
    stored: int
    duplicate: int
    rejected: int
    results: list[ItemOut]


_TEXTS = (("dossier_code", 64), ("counter", 64), ("comment", 2000))
_INDICES = ("index1", "index3", "index4", "index7")


def canonical_rating(raw: Any) -> services.RatingInput | None:
    """The rating in ``raw`` when it is in the canonical form and valid, else ``None`` (then
    ``RatingIn`` decides: it may still accept it, or words why not)."""
    if type(raw) is not dict:
        return None
    client_id, satisfaction, moment = (
        raw.get("client_id"),
        raw.get("satisfaction"),
        raw.get("submitted_at"),
    )
    if type(client_id) is not str or len(client_id) != 36 or client_id[8::5][:4] != "----":
        return None
    if type(satisfaction) is not int or not 1 <= satisfaction <= 5:
        return None
    # YYYY-MM-DDTHH:MM…: the extended ISO form pydantic reads; fromisoformat reads more.
    if type(moment) is not str or len(moment) < 20 or moment[4:8:3] != "--":
        return None
    if moment[10] not in "Tt " or moment[13] != ":":
        return None
    fields: dict[str, Any] = {}
    for name, longest in _TEXTS:
        text = raw.get(name, "")
        if type(text) is not str or len(text) > longest or not storable(text):
            return None
        fields[name] = text
    for name in _INDICES:
        value = raw.get(name)
        if value is not None and (type(value) is not int or not 0 <= value <= 2):
            return None
        fields[name] = value
    try:
        uuid = UUID(client_id)
        at = datetime.fromisoformat(moment)
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    return services.RatingInput(uuid, satisfaction, at, **fields)


def read_rating(raw: Any) -> services.RatingInput:
    """A rating from a batch item, or :class:`ValidationError` with pydantic's reasons."""
    typed = canonical_rating(raw)
    if typed is None:
        typed = services.RatingInput(**RatingIn.model_validate(raw).model_dump())
    return typed


def item_answer(result: services.RatingResult) -> dict[str, Any]:
    """An ``ItemOut`` as JSON."""
    return {
        "index": result.index,
        "outcome": result.outcome,
        "id": result.id,
        "errors": list(result.errors),
        "burst": result.burst,
    }


def batch_answer(items: list[Any], unit: Unit, device: User) -> dict[str, Any]:
    """Every item of a batch taken in and answered by its index (a ``BatchOut`` as JSON)."""
    valid: list[tuple[int, services.RatingInput]] = []
    invalid: list[services.RatingResult] = []
    for index, raw in enumerate(items):
        try:
            valid.append((index, read_rating(raw)))
        except ValidationError as error:
            messages = tuple(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
            )
            invalid.append(services.RatingResult(index, "rejected", errors=messages))
    stored = services.ingest([item for _, item in valid], unit, Channel.DEVICE, device)
    results = [
        services.RatingResult(valid[r.index][0], r.outcome, r.id, r.errors, r.burst) for r in stored
    ]
    results = sorted(results + invalid, key=lambda r: r.index)
    counts = {
        outcome: sum(r.outcome == outcome for r in results)
        for outcome in ("stored", "duplicate", "rejected")
    }
    return {**counts, "results": [item_answer(r) for r in results]}
