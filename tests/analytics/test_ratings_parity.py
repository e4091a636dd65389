"""The rating aggregations give the numbers a plain Python count gives, on DuckDB over Parquet,
and the same numbers on local PySpark (the ``parindex[spark]`` extra, Java 17)."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parindex.analytics import connect, satisfaction_by, tt01_indices
from parindex.analytics.synthetic import generate_ratings

KEYS = ("unit", "month", "procedure")


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    table = generate_ratings(20_000, [11, 12, 13], datetime(2025, 1, 1), procedures=5, seed=3)
    # Some burst-flagged ratings, which every aggregation must leave out.
    burst = pa.array([k % 50 == 0 for k in range(table.num_rows)])
    table = table.set_column(table.schema.get_field_index("burst"), "burst", burst)
    path = tmp_path_factory.mktemp("ratings") / "ratings.parquet"
    pq.write_table(table, path)
    return path


def by_hand(path: Path) -> dict[tuple[Any, ...], tuple[int, float, float]]:
    """Ratings, mean satisfaction and satisfied share per (unit, month, procedure), in plain Python."""
    sums: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0])
    for row in pq.read_table(path).to_pylist():
        if row["burst"]:
            continue
        cell = sums[tuple(row[k] for k in KEYS)]
        cell[0] += 1
        cell[1] += row["satisfaction"]
        cell[2] += row["satisfaction"] >= 4
    return {key: (int(n), total / n, satisfied / n) for key, (n, total, satisfied) in sums.items()}


def rows(frame: Any) -> dict[tuple[Any, ...], tuple[int, float, float]]:
    return {
        tuple(record[k] for k in KEYS): (
            int(record["ratings"]),
            float(record["mean_satisfaction"]),
            float(record["satisfied_share"]),
        )
        for record in frame.to_dict("records")
    }


def test_duckdb_over_parquet_matches_a_plain_count(parquet: Path) -> None:
    con = connect("duckdb")
    result = rows(con.execute(satisfaction_by(con.read_parquet(parquet))))
    expected = by_hand(parquet)
    assert result.keys() == expected.keys()
    for key, (n, mean, share) in expected.items():
        assert result[key][0] == n
        assert result[key][1] == pytest.approx(mean, abs=1e-12)
        assert result[key][2] == pytest.approx(share, abs=1e-12)
    assert sum(n for n, _, _ in result.values()) == 20_000 - 400


def test_pyspark_gives_the_same_numbers_as_duckdb(parquet: Path) -> None:
    pytest.importorskip("pyspark", reason="the parindex[spark] extra is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("PySpark needs Java 17 (apt-get install openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("parindex-parity")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        spark = connect("pyspark", session=session)
        duck = connect("duckdb")
        spark_table = spark.read_parquet(str(parquet))
        duck_table = duck.read_parquet(parquet)
        on_spark = rows(spark.execute(satisfaction_by(spark_table)))
        on_duck = rows(duck.execute(satisfaction_by(duck_table)))
        assert on_spark.keys() == on_duck.keys()
        for key, value in on_duck.items():
            assert on_spark[key] == pytest.approx(value, abs=1e-12)
        spark_indices = spark.execute(tt01_indices(spark_table)).to_dict("records")
        duck_indices = duck.execute(tt01_indices(duck_table)).to_dict("records")
        assert len(spark_indices) == len(duck_indices) == 3 * 12
        for a, b in zip(spark_indices, duck_indices, strict=True):
            assert a.keys() == b.keys()
            for name, value in b.items():
                if isinstance(value, float):
                    assert a[name] == pytest.approx(value, abs=1e-12), name
                else:
                    assert a[name] == value, name
    finally:
        session.stop()
