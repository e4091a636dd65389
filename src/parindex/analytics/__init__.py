"""Aggregations over large rating volumes, written once as Ibis expressions: DuckDB over Parquet
by default, PySpark (the optional ``parindex[spark]`` extra) when one machine is outgrown."""

from parindex.analytics.ratings import RATING_COLUMNS, connect, satisfaction_by, tt01_indices

__all__ = ["RATING_COLUMNS", "connect", "satisfaction_by", "tt01_indices"]
