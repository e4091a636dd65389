"""A device's counter ratings in one statement (PostgreSQL): the statement the ingestion front
uses too (``parindex.ingest.statement``), here for one request's ratings, in autocommit, so one
round trip stores the batch durably instead of five (BEGIN, three statements, COMMIT).
"""

from __future__ import annotations

import weakref
from datetime import datetime
from typing import Any

import psycopg
from django.db import connection

from parindex.ingest.statement import KNOWN, SEQUENCE, counter_ratings_sql
from parindex.server.ratings.services.bursts import BURST_LIMIT, BURST_WINDOW
from parindex.server.ratings.services.storage import RatingResult, RatingRow

_generic: weakref.WeakSet[Any] = weakref.WeakSet()
"""Connections told to keep one plan of the statement: planning it (a CTE over a table of some
forty monthly partitions) cost more CPU than running it, and a plan fitted to each call's values
would be made again on every call."""

_statements: dict[str, str] = {}
"""The statement by database, made on first use (it names the id sequence, read from it)."""


def _sql(cursor: psycopg.Cursor[Any]) -> str:
    database = str(connection.settings_dict["NAME"])
    if database not in _statements:
        cursor.execute(SEQUENCE)
        (sequence,) = cursor.fetchone() or ("",)
        sql = counter_ratings_sql(lambda name: f"%({name})s", BURST_LIMIT, sequence)
        _statements[database] = sql
    return _statements[database]


def store_counter_ratings(
    pending: list[tuple[int, RatingRow]], device_id: int, received: datetime
) -> dict[int, RatingResult]:
    """Store ``pending`` (valid, distinct client ids, no dossier, sorted by time and client id)
    in one statement; each answered ``stored`` (with its burst flag) or ``duplicate``."""
    if not pending:
        return {}
    rows = [row for _, row in pending]
    params: dict[str, Any] = {
        "ids": [r.client_id for r in rows],
        "satisfaction": [r.satisfaction for r in rows],
        "at": [r.submitted_at for r in rows],
        "counter": [r.counter for r in rows],
        "index1": [r.index1 for r in rows],
        "index3": [r.index3 for r in rows],
        "index4": [r.index4 for r in rows],
        "index7": [r.index7 for r in rows],
        "comment": [r.comment for r in rows],
        "unit": [r.unit_id for r in rows],
        "device": [device_id] * len(rows),
        "window": BURST_WINDOW,
        "received": received,
    }
    connection.ensure_connection()
    raw = connection.connection
    # Errors marked on Django's connection (and converted) as with its own cursors.
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        if raw not in _generic:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            # Django turns preparing off (threshold None); this statement alone asks for it.
            raw.prepare_threshold = 2**31
            _generic.add(raw)
        cursor.execute(_sql(cursor), params, prepare=True, binary=True)
        answers = cursor.fetchall()
        stored = {client_id: (rating_id, burst) for client_id, rating_id, burst in answers}
        where = {row.client_id: index for index, row in pending}
        # Not stored: stored before, or by a concurrent retry that committed first.
        known = [client_id for client_id in where if client_id not in stored]
        if known:
            cursor.execute(KNOWN.format(ids="%(ids)s"), {"ids": known})
            answers = cursor.fetchall()
        else:
            answers = []
    results: dict[int, RatingResult] = {}
    for client_id, (rating_id, burst) in stored.items():
        index = where[client_id]
        results[index] = RatingResult(index, "stored", int(rating_id), burst=bool(burst))
    for client_id, rating_id in answers:
        index = where[client_id]
        results[index] = RatingResult(index, "duplicate", int(rating_id))
    return results
