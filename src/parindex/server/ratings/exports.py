"""Ratings to Parquet by period (the analytics' input); the demo's synthetic ratings are loaded by
``demo_volume`` (``insert_demo_ratings`` is kept for callers of the earlier name)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from parindex.analytics import RATING_COLUMNS
from parindex.core.onestop import Period
from parindex.server.ratings import demo_volume
from parindex.server.ratings.models import Dossier, Rating

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


def insert_demo_ratings(count: int, units: Sequence[int], start: datetime, seed: int = 16) -> int:
    """``count`` synthetic ratings over a year from ``start`` for ``units``, in bulk."""
    return demo_volume.insert(count, units, start, seed=seed)
