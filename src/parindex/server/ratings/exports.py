"""Ratings to Parquet by period (the analytics' input), and synthetic ratings into the database
for the demo, inserted in bulk (PostgreSQL ``COPY``, else batched inserts)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from parindex.analytics import RATING_COLUMNS
from parindex.analytics.synthetic import generate_ratings
from parindex.core.onestop import Period
from parindex.server.ratings.models import Dossier, Rating, RatingKey

CHUNK = 100_000


def _arrow_type(name: str) -> pa.DataType:
    return {"string": pa.string(), "int64": pa.int64(), "int8": pa.int8(), "boolean": pa.bool_()}[
        name
    ]


PARQUET_SCHEMA = pa.schema([(name, _arrow_type(kind)) for name, kind in RATING_COLUMNS.items()])


def _rows(period: Period) -> Iterator[dict[str, Any]]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, datetime.min.time(), tz)
    end = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), tz)
    procedure = Dossier.objects.filter(code=OuterRef("dossier_code")).values("procedure")[:1]
    query = (
        Rating.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(procedure=Subquery(procedure))
        .values_list(
            "client_id",
            "unit_id",
            "submitted_at",
            "channel",
            "procedure",
            "officer",
            "index1",
            "index3",
            "index4",
            "index7",
            "satisfaction",
            "burst",
        )
        .order_by("submitted_at", "id")
    )
    for (
        client_id,
        unit,
        moment,
        channel,
        proc,
        officer,
        i1,
        i3,
        i4,
        i7,
        sat,
        burst,
    ) in query.iterator(chunk_size=10_000):
        yield {
            "client_id": client_id.hex,
            "unit": unit,
            "month": timezone.localtime(moment, tz).strftime("%Y-%m"),
            "channel": channel,
            "procedure": proc or "",
            "officer": officer,
            "index1": i1,
            "index3": i3,
            "index4": i4,
            "index7": i7,
            "satisfaction": sat,
            "burst": burst,
        }


def export_parquet(period: Period, directory: Path) -> tuple[Path, int]:
    """``ratings-<period>.parquet`` in ``directory`` with every rating of ``period``; returns the
    file and the number of rows. Written to a temporary name and renamed, so a reader never sees a
    half-written file."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"ratings-{period}.parquet"
    partial = target.with_suffix(".parquet.part")
    count = 0
    with pq.ParquetWriter(partial, PARQUET_SCHEMA) as writer:
        batch: list[dict[str, Any]] = []
        for row in _rows(period):
            batch.append(row)
            if len(batch) == CHUNK:
                writer.write_table(pa.Table.from_pylist(batch, schema=PARQUET_SCHEMA))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=PARQUET_SCHEMA))
            count += len(batch)
    partial.replace(target)
    return target, count


COPY_COLUMNS = (
    "client_id", "channel", "unit_id", "dossier_code", "counter", "officer", "index1", "index3", "index4",
    "index7", "satisfaction", "comment", "submitted_at", "received_at", "burst",
)  # fmt: skip


def insert_demo_ratings(count: int, units: Sequence[int], start: datetime, seed: int = 16) -> int:
    """``count`` synthetic ratings over a year from ``start`` for ``units``, in bulk."""
    inserted = 0
    now = timezone.now()
    for offset in range(0, count, CHUNK):
        size = min(CHUNK, count - offset)
        table = generate_ratings(size, units, start, seed=seed + offset)
        columns = table.to_pydict()
        tz = timezone.get_current_timezone()
        records = [
            (
                str(uuid.UUID(columns["client_id"][k])),
                columns["channel"][k],
                columns["unit"][k],
                "",
                "Q1",
                columns["officer"][k],
                columns["index1"][k],
                columns["index3"][k],
                columns["index4"][k],
                columns["index7"][k],
                columns["satisfaction"][k],
                "",
                columns["submitted_at"][k].replace(tzinfo=tz),
                now,
                False,
            )
            for k in range(size)
        ]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    raw = cursor.cursor  # psycopg 3 cursor
                    sql = f"COPY ratings_rating ({', '.join(COPY_COLUMNS)}) FROM STDIN"
                    with raw.copy(sql) as copy:
                        for record in records:
                            copy.write_row(record)
                    # The chunk's rows share their received_at: their keys in one statement.
                    cursor.execute(
                        "INSERT INTO ratings_ratingkey (client_id, dossier_code, channel, rating_id)"
                        " SELECT client_id, dossier_code, channel, id FROM ratings_rating WHERE received_at = %s"
                        " ON CONFLICT DO NOTHING",
                        [now],
                    )
            else:
                ratings = Rating.objects.bulk_create(
                    (Rating(**dict(zip(COPY_COLUMNS, record, strict=True))) for record in records),
                    batch_size=5_000,
                )
                RatingKey.objects.bulk_create(
                    (
                        RatingKey(
                            client_id=r.client_id,
                            dossier_code="",
                            channel=r.channel,
                            rating_id=r.pk,
                        )
                        for r in ratings
                    ),
                    batch_size=5_000,
                )
        inserted += size
    return inserted
