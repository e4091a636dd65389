"""The demo's volume of ratings (about a million over a year across its counters), loaded fast:
``COPY`` of CSV text on PostgreSQL, ``executemany`` of prepared rows on SQLite, each chunk in one
transaction, and the chunk's uniqueness keys written by one ``INSERT … SELECT``.

``parindex demo`` queues the load on the background worker once the site serves (a million rows
take longer than the demo's start may); the leader's dashboard says how far it has got
(``RatingGeneration``). ``parindex manage demo_ratings`` runs the same load in the foreground.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from parindex.analytics.synthetic import generate_ratings
from parindex.core.roles import Role
from parindex.server.accounts.models import RoleAssignment, Unit
from parindex.server.ratings import summary
from parindex.server.ratings.models import RatingGeneration

DEMO_COUNT = 1_000_000
CHUNK = {"postgresql": 100_000, "sqlite": 25_000}
"""Rows per transaction. On SQLite short enough that the site's own writes (a login, a rating)
wait a few seconds at most for its single writer (the busy timeout is 20 s)."""

COLUMNS = (
    "client_id", "channel", "unit_id", "dossier_code", "counter", "officer", "index1", "index3",
    "index4", "index7", "satisfaction", "comment", "submitted_at", "received_at", "burst",
)  # fmt: skip


def _utc_text(local: pa.ChunkedArray, tz: tzinfo, start: datetime) -> np.ndarray:
    """Naive local times as UTC text ``YYYY-MM-DD HH:MM:SS``, the form Django stores on SQLite
    (compared as text there, so the separator must be the space Django writes)."""
    offset = tz.utcoffset(start)
    seconds = int(offset.total_seconds()) if offset is not None else 0
    moments = local.to_numpy(zero_copy_only=False).astype("datetime64[s]") - np.timedelta64(
        seconds, "s"
    )
    return np.char.replace(np.datetime_as_string(moments, unit="s"), "T", " ")


def _chunk_table(size: int, units: Sequence[int], start: datetime, seed: int) -> pa.Table:
    # In client-id order: the two indexes on it (the rating's, the key's primary key) are then
    # written in order rather than at random places, a third less time on SQLite.
    generated = generate_ratings(size, units, start, seed=seed).sort_by("client_id")
    tz = timezone.get_current_timezone()
    submitted = _utc_text(generated["submitted_at"], tz, start)
    received = timezone.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    empty = pa.array([""] * size)
    return pa.table(
        {
            "client_id": generated["client_id"],
            "channel": generated["channel"],
            "unit_id": generated["unit"],
            "dossier_code": empty,
            "counter": pa.array(["Q1"] * size),
            "officer": generated["officer"],
            "index1": generated["index1"],
            "index3": generated["index3"],
            "index4": generated["index4"],
            "index7": generated["index7"],
            "satisfaction": generated["satisfaction"],
            "comment": empty,
            "submitted_at": pa.array(submitted),
            "received_at": pa.array([received] * size),
            "burst": pa.array(np.zeros(size, dtype=bool)),
        }
    )


def _insert_postgresql(table: pa.Table) -> None:
    buffer = io.BytesIO()
    stamped = table.set_column(
        table.column_names.index("submitted_at"),
        "submitted_at",
        pc.binary_join_element_wise(table["submitted_at"], "+00", ""),
    ).set_column(
        table.column_names.index("received_at"),
        "received_at",
        pc.binary_join_element_wise(table["received_at"], "+00", ""),
    )
    # Every value quoted, so an empty text is '' and only a missing index is NULL.
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    pacsv.write_csv(stamped, buffer, options)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(max(id), 0) FROM ratings_rating")
        (last,) = cursor.fetchone()
        raw = cursor.cursor  # psycopg 3
        sql = f"COPY ratings_rating ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
        with raw.copy(sql) as copy:
            copy.write(buffer.getvalue())
        cursor.execute(
            "INSERT INTO ratings_ratingkey"
            " (client_id, dossier_code, channel, rating_id, device_id, submitted_at)"
            " SELECT client_id, dossier_code, channel, id, device_id, submitted_at"
            " FROM ratings_rating WHERE id > %s"
            " ON CONFLICT DO NOTHING",
            [last],
        )


def _insert_sqlite(table: pa.Table) -> None:
    rows = list(zip(*(table[name].to_pylist() for name in COLUMNS), strict=True))
    placeholders = ", ".join("%s" for _ in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(max(id), 0) FROM ratings_rating")
        (last,) = cursor.fetchone()
        cursor.executemany(
            f"INSERT INTO ratings_rating ({', '.join(COLUMNS)}) VALUES ({placeholders})", rows
        )
        cursor.execute(
            "INSERT OR IGNORE INTO ratings_ratingkey"
            " (client_id, dossier_code, channel, rating_id, device_id, submitted_at)"
            " SELECT client_id, dossier_code, channel, id, device_id, submitted_at"
            " FROM ratings_rating WHERE id > %s",
            [last],
        )


def insert(
    count: int,
    units: Sequence[int],
    start: datetime,
    seed: int = 16,
    progress: RatingGeneration | None = None,
) -> int:
    """``count`` synthetic ratings over a year from ``start`` for ``units``; returns how many."""
    inserted = 0
    chunk = CHUNK.get(connection.vendor, CHUNK["sqlite"])
    for offset in range(0, count, chunk):
        table = _chunk_table(min(chunk, count - offset), units, start, seed + offset)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _insert_postgresql(table)
            else:
                _insert_sqlite(table)
            inserted += table.num_rows
            if progress is not None:
                progress.inserted = inserted
                progress.save(update_fields=["inserted"])
    # The load is late ratings for every closed month: fold them into the monthly sums now
    # rather than at the next housekeeping (until then the dashboard would read them live).
    summary.refresh()
    return inserted


def counter_units() -> list[int]:
    """The units with a counter device (the demo's one-stop centre), else synthetic ones."""
    units = sorted(
        {
            unit
            for unit in RoleAssignment.objects.filter(role=Role.COUNTER_DEVICE).values_list(
                "unit_id", flat=True
            )
            if unit
        }
    )
    return units or list(Unit.objects.filter(synthetic=True).values_list("id", flat=True)[:50])


def year_start() -> datetime:
    """A year ago to the second (local time): the demo's year of ratings ends now, so today's
    and this month's figures have ratings too."""
    now = timezone.localtime().replace(tzinfo=None, microsecond=0)
    return now - timedelta(days=365)


def queue(count: int = DEMO_COUNT, seed: int = 16) -> RatingGeneration:
    """Record the run and hand it to the background worker."""
    run = RatingGeneration.objects.create(count=count, seed=seed)
    generate.enqueue(run.pk)
    return run


@task()
def generate(run_id: int) -> None:
    run = RatingGeneration.objects.get(pk=run_id)
    if run.state != RatingGeneration.State.QUEUED:
        return  # run once, even if queued twice
    run.state = RatingGeneration.State.RUNNING
    run.save(update_fields=["state"])
    try:
        insert(run.count, counter_units(), year_start(), seed=run.seed, progress=run)
        run.state = RatingGeneration.State.DONE
    except Exception:
        run.state = RatingGeneration.State.FAILED
        raise
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "finished_at"])


def in_progress() -> RatingGeneration | None:
    """The generation still running or queued, for the dashboard to say so."""
    return (
        RatingGeneration.objects.filter(
            state__in=(RatingGeneration.State.QUEUED, RatingGeneration.State.RUNNING)
        )
        .order_by("-pk")
        .first()
    )
