"""Ratings taken in from devices, the online page and integrations: validated, stored once (by
client id; once per dossier and channel), answered item by item after commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from parindex.server.accounts.models import Unit, User
from parindex.server.ratings.models import Channel, Dossier, Rating, RatingKey
from parindex.server.ratings.services.bursts import Bursts
from parindex.server.ratings.services.units import subtree


@dataclass(frozen=True)
class RatingInput:
    """One rating as a device, the online page or an integration sends it (already typed)."""

    client_id: UUID
    satisfaction: int
    submitted_at: datetime
    dossier_code: str = ""
    counter: str = ""
    index1: int | None = None
    index3: int | None = None
    index4: int | None = None
    index7: int | None = None
    comment: str = ""


Outcome = Literal["stored", "duplicate", "rejected"]


@dataclass(frozen=True)
class RatingResult:
    index: int
    outcome: Outcome
    id: int | None = None
    errors: tuple[str, ...] = field(default=())
    burst: bool = False


def _errors(item: RatingInput, units: set[int], dossier: Dossier | None) -> list[str]:
    errors = []
    if not 1 <= item.satisfaction <= 5:
        errors.append(f"satisfaction must be 1 to 5, got {item.satisfaction}")
    for name in ("index1", "index3", "index4", "index7"):
        value = getattr(item, name)
        if value is not None and value not in (0, 1, 2):
            errors.append(f"{name} must be 2, 1 or 0, got {value}")
    if not item.dossier_code and not item.counter:
        errors.append("a rating names a dossier code or a counter")
    if dossier is not None and dossier.unit_id not in units:
        errors.append(
            f"dossier '{item.dossier_code}' belongs to a unit outside this device's scope"
        )
    if item.submitted_at > timezone.now() + timedelta(minutes=5):
        errors.append("submitted_at is in the future")
    return errors


class _Row(NamedTuple):
    """A rating to store, as the columns of ``ratings_rating`` (without its id)."""

    client_id: UUID
    channel: str
    unit_id: int
    dossier_code: str
    counter: str
    officer: str
    index1: int | None
    index3: int | None
    index4: int | None
    index7: int | None
    satisfaction: int
    comment: str
    submitted_at: datetime
    received_at: datetime
    device_id: int | None
    burst: bool


Writer = Callable[[list[tuple[int, _Row]]], dict[int, RatingResult]]


def _insert_all(pending: list[tuple[int, _Row]]) -> dict[int, RatingResult]:
    """Every row in one INSERT (ids returned in order) and their keys in a second: no model
    objects, no per-row statements. A conflict raises and the caller starts over one by one."""
    if not pending:
        return {}
    uuid_field = Rating._meta.get_field("client_id")
    moment = connection.ops.adapt_datetimefield_value
    rows = []
    for _, row in pending:
        client_id = uuid_field.get_db_prep_value(row.client_id, connection)
        rows.append(
            (client_id, *row[1:12], moment(row.submitted_at), moment(row.received_at), *row[14:])
        )
    with connection.cursor() as cursor:
        ids = _insert(cursor, Rating, _Row._fields, rows, returning="id")
        keys = [
            (values[0], row.dossier_code, row.channel, id_)
            for (_, row), values, id_ in zip(pending, rows, ids, strict=True)
        ]
        _insert(cursor, RatingKey, _KEY_COLUMNS, keys)
    return {
        index: RatingResult(index, "stored", id_, burst=row.burst)
        for (index, row), id_ in zip(pending, ids, strict=True)
    }


_KEY_COLUMNS = ("client_id", "dossier_code", "channel", "rating_id")


def _insert(
    cursor: Any,
    model: type[Rating] | type[RatingKey],
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    returning: str = "",
) -> list[int]:
    """One INSERT of ``rows``. On PostgreSQL the values go as one array a column (``unnest``,
    as Django's own ``bulk_create`` does there): a statement of 16 parameters, not 16 a row,
    which the driver would otherwise scan again for every batch."""
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    if connection.vendor == "postgresql":
        types = {f.column: f.db_type(connection) for f in model._meta.concrete_fields}
        arrays = ", ".join(f"%s::{types[c]}[]" for c in columns)
        sql = f"{into} SELECT * FROM unnest({arrays})"
        params: list[Any] = [list(values) for values in zip(*rows, strict=True)]
    else:
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        sql = f"{into} VALUES " + ", ".join([one] * len(rows))
        params = [value for row in rows for value in row]
    cursor.execute(sql + (f" RETURNING {quote(returning)}" if returning else ""), params)
    return [int(r[0]) for r in cursor.fetchall()] if returning else []


def _insert_each(pending: list[tuple[int, _Row]]) -> dict[int, RatingResult]:
    """Row by row, each in a savepoint: which ones a concurrent retry or an earlier rating of
    the same dossier on the channel took first."""
    results = {}
    for index, row in pending:
        rating = Rating(**row._asdict())
        try:
            with transaction.atomic():
                rating.save(force_insert=True)
                RatingKey.objects.create(
                    client_id=rating.client_id,
                    dossier_code=rating.dossier_code,
                    channel=rating.channel,
                    rating_id=rating.pk,
                )
        except IntegrityError:
            stored = (
                RatingKey.objects.filter(client_id=rating.client_id)
                .values_list("rating_id", flat=True)
                .first()
            )
            if stored is not None:
                results[index] = RatingResult(index, "duplicate", stored)
            else:
                message = f"dossier '{rating.dossier_code}' is already rated on this channel"
                results[index] = RatingResult(index, "rejected", errors=(message,))
            continue
        results[index] = RatingResult(index, "stored", rating.pk, burst=rating.burst)
    return results


def ingest(
    items: Sequence[RatingInput], unit: Unit, channel: Channel, device: User | None = None
) -> list[RatingResult]:
    """Store each valid, new rating; a retried one (same client id) is reported as a duplicate
    with the stored id. Returns after the transaction commits, so every ``stored`` is durable.

    A batch costs a handful of statements: known ids, dossiers and the device's recent
    ratings (counted up to the burst limit) are read once, the new rows inserted in one
    statement and their keys in another. Only when that meets a conflict (a concurrent retry
    committed between the reads and the insert) is the whole transaction undone and the batch
    taken in again with every row in a savepoint of its own, to tell which.
    """
    try:
        with transaction.atomic():
            return _take_in(items, unit, channel, device, _insert_all)
    except IntegrityError:
        with transaction.atomic():
            return _take_in(items, unit, channel, device, _insert_each)


def _take_in(
    items: Sequence[RatingInput],
    unit: Unit,
    channel: Channel,
    device: User | None,
    write: Writer,
) -> list[RatingResult]:
    results: dict[int, RatingResult] = {}
    # Rows are written in one order (time, then client id), so two retries sending overlapping
    # batches in different orders wait on each other instead of deadlocking.
    order = sorted(range(len(items)), key=lambda k: (items[k].submitted_at, items[k].client_id))
    known = dict(
        RatingKey.objects.filter(client_id__in=[i.client_id for i in items]).values_list(
            "client_id", "rating_id"
        )
    )
    codes = {i.dossier_code for i in items if i.dossier_code}
    dossiers = {d.code: d for d in Dossier.objects.filter(code__in=codes)} if codes else {}
    bursts = Bursts(device, (i.submitted_at for i in items if i.client_id not in known))
    # Read only when a dossier is named: reading the unit tree costs more than the rest.
    units = subtree(unit) if dossiers else set()
    received = timezone.now()
    pending: list[tuple[int, _Row]] = []
    first_of: dict[UUID, int] = {}
    repeats: list[int] = []
    for index in order:
        item = items[index]
        if item.client_id in known:
            results[index] = RatingResult(index, "duplicate", known[item.client_id])
            continue
        if item.client_id in first_of:
            repeats.append(index)
            continue
        first_of[item.client_id] = index
        dossier = dossiers.get(item.dossier_code)
        errors = _errors(item, units, dossier)
        if errors:
            results[index] = RatingResult(index, "rejected", errors=tuple(errors))
            continue
        row = _Row(
            client_id=item.client_id,
            channel=str(channel),  # the value: a driver may write an enum member by its name
            unit_id=dossier.unit_id if dossier else unit.pk,
            dossier_code=item.dossier_code,
            counter=item.counter or (dossier.counter if dossier else ""),
            officer=dossier.officer if dossier else "",
            index1=item.index1,
            index3=item.index3,
            index4=item.index4,
            index7=item.index7,
            satisfaction=item.satisfaction,
            comment=item.comment,
            submitted_at=item.submitted_at,
            received_at=received,
            device_id=device.pk if device is not None else None,
            burst=bursts.flag(item.submitted_at),
        )
        pending.append((index, row))
    results.update(write(pending))
    for index in repeats:
        first = results[first_of[items[index].client_id]]
        outcome: Outcome = "duplicate" if first.outcome != "rejected" else "rejected"
        results[index] = RatingResult(index, outcome, first.id, first.errors)
    return [results[index] for index in range(len(items))]
