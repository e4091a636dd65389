"""Counter ratings as a table (one row per rating, as exported to Parquet) and the aggregations
dashboards and indicators need, as backend-independent Ibis expressions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import ibis
import ibis.expr.types as ir

RATING_COLUMNS: dict[str, str] = {
    "client_id": "string",
    "unit": "int64",
    "month": "string",
    "channel": "string",
    "procedure": "string",
    "officer": "string",
    "index1": "int8",
    "index3": "int8",
    "index4": "int8",
    "index7": "int8",
    "satisfaction": "int8",
    "burst": "boolean",
}
"""The Parquet export's columns (``month`` is ``YYYY-MM`` in Vietnam's time zone)."""

SATISFIED = 4
"""Levels 4 and 5 of the 5-level scale count as satisfied."""

Backend = Literal["duckdb", "pyspark"]


def connect(backend: Backend = "duckdb", **options: Any) -> Any:
    """An Ibis connection: in-process DuckDB, or a local/cluster Spark session (``session=``)."""
    if backend == "duckdb":
        return ibis.duckdb.connect(**options)
    if backend == "pyspark":
        session = options.pop("session", None)
        if session is None:
            from pyspark.sql import SparkSession

            session = SparkSession.builder.master("local[2]").appName("parindex").getOrCreate()
        return ibis.pyspark.connect(session, **options)
    raise ValueError(f"backend must be duckdb or pyspark, not {backend!r}")


def satisfaction_by(
    ratings: ir.Table, keys: Sequence[str] = ("unit", "month", "procedure")
) -> ir.Table:
    """Ratings, mean satisfaction and the satisfied share by ``keys``; burst-flagged ratings are
    left out, as in the indicators."""
    counted = ratings.filter(~ratings.burst)
    return (
        counted.group_by(list(keys))
        .aggregate(
            ratings=counted.count(),
            mean_satisfaction=counted.satisfaction.cast("float64").mean(),
            satisfied_share=(counted.satisfaction >= SATISFIED).cast("float64").mean(),
        )
        .order_by(list(keys))
    )


def tt01_indices(ratings: ir.Table, keys: Sequence[str] = ("unit", "month")) -> ir.Table:
    """Circular 01's device-rated index means (before rounding) and how many ratings carried each."""
    counted = ratings.filter(~ratings.burst)
    measures: dict[str, Any] = {}
    for index in ("index1", "index3", "index4", "index7"):
        column = counted[index]
        measures[f"{index}_mean"] = column.cast("float64").mean()
        measures[f"{index}_n"] = column.count()
    return counted.group_by(list(keys)).aggregate(**measures).order_by(list(keys))
