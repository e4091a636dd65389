"""How ratings are written: a batch in one statement per table (one in all on PostgreSQL), or,
after a conflict, row by row in savepoints to tell which row met it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple
from uuid import UUID

from django.db import IntegrityError, connection, transaction

from parindex.server.ratings.models import Rating, RatingKey

Outcome = Literal["stored", "duplicate", "rejected"]


@dataclass(frozen=True)
class RatingResult:
    index: int
    outcome: Outcome
    id: int | None = None
    errors: tuple[str, ...] = field(default=())
    burst: bool = False


class RatingRow(NamedTuple):
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


Writer = Callable[[list[tuple[int, RatingRow]]], dict[int, RatingResult]]


def insert_all(pending: list[tuple[int, RatingRow]]) -> dict[int, RatingResult]:
    """Every row in one INSERT (ids returned in order) and their keys in a second (on
    PostgreSQL both in one statement): no model objects, no per-row statements. A conflict
    raises IntegrityError, and the caller starts over with :func:`insert_each`."""
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
        if connection.vendor == "postgresql":
            ids = _insert_with_keys(cursor, [row for _, row in pending], rows)
        else:
            ids = _insert(cursor, Rating, RatingRow._fields, rows, returning="id")
            keys = [
                (values[0], row.dossier_code, row.channel, id_, row.device_id, values[12])
                for (_, row), values, id_ in zip(pending, rows, ids, strict=True)
            ]
            _insert(cursor, RatingKey, _KEY_COLUMNS, keys)
    return {
        index: RatingResult(index, "stored", id_, burst=row.burst)
        for (index, row), id_ in zip(pending, ids, strict=True)
    }


_KEY_COLUMNS = ("client_id", "dossier_code", "channel", "rating_id", "device_id", "submitted_at")


def _insert_with_keys(
    cursor: Any, pending: list[RatingRow], rows: list[tuple[Any, ...]]
) -> list[int]:
    """PostgreSQL: the ratings and their keys in one statement (one round trip less for every
    request), the keys taken from the rows the first INSERT returns."""
    quote = connection.ops.quote_name
    ratings, params = _unnest(Rating, RatingRow._fields, rows)
    keys = ", ".join(quote(c) for c in _KEY_COLUMNS)
    sql = (
        f"WITH stored AS ({ratings} RETURNING id, client_id, dossier_code, channel, device_id,"
        f" submitted_at) INSERT INTO {quote(RatingKey._meta.db_table)} ({keys}) "
        "SELECT client_id, dossier_code, channel, id, device_id, submitted_at FROM stored"
        " RETURNING client_id, rating_id"
    )
    cursor.execute(sql, params)
    stored = {client_id: int(rating_id) for client_id, rating_id in cursor.fetchall()}
    return [stored[row.client_id] for row in pending]


def _unnest(
    model: type[Rating] | type[RatingKey], columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> tuple[str, list[Any]]:
    """``INSERT … SELECT * FROM unnest(…)``: one array a column (as Django's own
    ``bulk_create`` does on PostgreSQL), a statement of 16 parameters rather than 16 a row,
    which the driver would otherwise scan again for every batch."""
    quote = connection.ops.quote_name
    types = {f.column: f.db_type(connection) for f in model._meta.concrete_fields}
    arrays = ", ".join(f"%s::{types[c]}[]" for c in columns)
    into = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    return f"{into} SELECT * FROM unnest({arrays})", [list(v) for v in zip(*rows, strict=True)]


def _insert(
    cursor: Any,
    model: type[Rating] | type[RatingKey],
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    returning: str = "",
) -> list[int]:
    """One INSERT of ``rows`` (SQLite: a row of parameters each; PostgreSQL: ``unnest``)."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        sql, params = _unnest(model, columns, rows)
    else:
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        names = ", ".join(quote(c) for c in columns)
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES " + ", ".join(
            [one] * len(rows)
        )
        params = [value for row in rows for value in row]
    cursor.execute(sql + (f" RETURNING {quote(returning)}" if returning else ""), params)
    return [int(r[0]) for r in cursor.fetchall()] if returning else []


def insert_each(pending: list[tuple[int, RatingRow]]) -> dict[int, RatingResult]:
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
                    device_id=rating.device_id,
                    submitted_at=rating.submitted_at,
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
