"""Satisfaction by unit × month × procedure over generated ratings in Parquet: the Ibis path
(``parindex.analytics.satisfaction_by`` on DuckDB) against the same query in raw DuckDB SQL.

Target (issue 16, 9b): at 100 million ratings, Ibis ≤ 1.5× raw SQL and under 5 s.

    uv run python benchmarks/ratings_query.py --rows 2000000          # this session's size
    uv run python benchmarks/ratings_query.py --rows 100000000 --dir /big/disk   # full size

Files are written in chunks of 2 million rows (one Parquet file each), so memory stays flat.
At 100 million rows, ``--generator duckdb`` writes them with DuckDB itself (SQL over ``range``,
same columns and types; minutes rather than the numpy generator's half hour):

    uv run python benchmarks/ratings_query.py --rows 100000000 --generator duckdb --dir /tmp
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from parindex.analytics import connect, satisfaction_by
from parindex.analytics.synthetic import generate_ratings

CHUNK = 2_000_000
SQL = """
SELECT unit, month, procedure, count(*) AS ratings, avg(CAST(satisfaction AS DOUBLE)) AS mean_satisfaction,
       avg(CAST(satisfaction >= 4 AS DOUBLE)) AS satisfied_share
FROM read_parquet('{glob}') WHERE NOT burst
GROUP BY unit, month, procedure ORDER BY unit, month, procedure
"""


def write(directory: Path, rows: int, units: int) -> None:
    for part, offset in enumerate(range(0, rows, CHUNK)):
        size = min(CHUNK, rows - offset)
        table = generate_ratings(
            size, list(range(1, units + 1)), datetime(2025, 1, 1), seed=1000 + part
        )
        pq.write_table(table.drop(["client_id"]), directory / f"part-{part:05d}.parquet")


DUCKDB_GENERATOR = """
COPY (
  SELECT
    unit,
    strftime(moment, '%Y-%m') AS month,
    moment AS submitted_at,
    CASE WHEN hash(i + 3 * {stride}) % 10 < 8 THEN 'device' ELSE 'online' END AS channel,
    '1.' || lpad(CAST(hash(i + 4 * {stride}) % {procedures} AS VARCHAR), 3, '0') AS procedure,
    CAST(unit AS VARCHAR) || '-cb' || CAST(hash(i + 5 * {stride}) % 6 AS VARCHAR) AS officer,
    CAST(CASE WHEN hash(i + 6 * {stride}) % 10 = 0 THEN NULL ELSE hash(i + 7 * {stride}) % 3 END AS TINYINT) AS index1,
    CAST(CASE WHEN hash(i + 8 * {stride}) % 10 = 0 THEN NULL ELSE hash(i + 9 * {stride}) % 3 END AS TINYINT) AS index3,
    CAST(CASE WHEN hash(i + 10 * {stride}) % 10 = 0 THEN NULL
         ELSE hash(i + 11 * {stride}) % 3 END AS TINYINT) AS index4,
    CAST(CASE WHEN hash(i + 12 * {stride}) % 10 = 0 THEN NULL
         ELSE hash(i + 13 * {stride}) % 3 END AS TINYINT) AS index7,
    -- Each unit its own level of service: satisfaction leans on the unit's hash.
    CAST(least(5, 1 + (hash(i + 14 * {stride}) % 4) + CAST(hash(unit) % 3 = 0 AS INTEGER)) AS TINYINT)
      AS satisfaction,
    false AS burst
  FROM (
    SELECT i, CAST(1 + hash(i + 1 * {stride}) % {units} AS BIGINT) AS unit,
           TIMESTAMP '2025-01-01' + to_seconds(CAST(hash(i + 2 * {stride}) % (365 * 86400) AS BIGINT)) AS moment
    FROM range({rows}) AS r(i)
  )
) TO '{directory}' (FORMAT parquet, PER_THREAD_OUTPUT true, ROW_GROUP_SIZE 1000000)
"""


def write_with_duckdb(directory: Path, rows: int, units: int) -> None:
    """The same columns as ``generate_ratings`` (without client ids), from DuckDB's hash of the
    row number: reproducible, and as fast as the disk. Each column hashes its own range of
    numbers (row + k × rows): hashes of one number with different salts share their low bits."""
    target = directory / "duckdb"
    duckdb.connect().execute(
        DUCKDB_GENERATOR.format(
            rows=rows, units=units, procedures=40, directory=target, stride=rows
        )
    )
    for file in target.glob("*.parquet"):
        file.rename(directory / f"duckdb-{file.name}")
    target.rmdir()


def timed(run, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--units", type=int, default=700)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--generator", choices=("numpy", "duckdb"), default="numpy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        if args.generator == "duckdb":
            write_with_duckdb(directory, args.rows, args.units)
        else:
            write(directory, args.rows, args.units)
        print(
            f"machine: {platform.machine()} python {platform.python_version()} duckdb {duckdb.__version__}"
        )
        print(f"input: {args.rows:,} ratings, {args.units} units × 12 months × 40 procedures, Parquet "
              f"(written in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        glob = str(directory / "*.parquet")
        raw = duckdb.connect()
        con = connect("duckdb")
        expression = satisfaction_by(con.read_parquet(glob))
        # Both results as Arrow tables, so neither pays for Python objects the other avoids.
        raw_rows = raw.sql(SQL.format(glob=glob)).arrow().read_all()
        ibis_table = con.to_pyarrow(expression)
        assert raw_rows.num_rows == ibis_table.num_rows, "the two queries disagree on the groups"
        assert raw_rows.column("ratings").to_pylist() == ibis_table.column("ratings").to_pylist()
        raw_times = timed(lambda: raw.sql(SQL.format(glob=glob)).arrow().read_all(), args.repeats)
        ibis_times = timed(lambda: con.to_pyarrow(expression), args.repeats)
        raw_med, ibis_med = statistics.median(raw_times), statistics.median(ibis_times)
        print(f"groups: {raw_rows.num_rows:,}")
        print(f"raw DuckDB SQL:        best {min(raw_times):7.3f} s  median {raw_med:7.3f} s")
        print(f"Ibis (DuckDB backend): best {min(ibis_times):7.3f} s  median {ibis_med:7.3f} s")
        ratio = ibis_med / raw_med
        print(
            f"ratio Ibis / raw (median): {ratio:.2f}×  target ≤ 1.5×; Ibis under 5 s: {ibis_med < 5}"
        )


if __name__ == "__main__":
    main()
