"""Monthly partitions of the ratings table on PostgreSQL.

Migration 0002 turns ``ratings_rating`` into a table partitioned by range of ``submitted_at``,
with a default partition for anything outside the months created; ``ensure_months`` creates the
months ahead (``parindex manage ratings_partitions``, daily). A month is created only while the
default partition holds none of its rows (PostgreSQL refuses otherwise), so the function skips
such a month: its rows stay in the default partition, still counted and queried.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

TABLE = "ratings_rating"


def month_starts(first: date, count: int) -> list[date]:
    months = []
    cursor = first.replace(day=1)
    for _ in range(count):
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def is_partitioned(cursor: Any) -> bool:
    cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
    return cursor.fetchone() is not None


def ensure_months(cursor: Any, first: date, count: int) -> list[str]:
    """Create the missing monthly partitions from ``first``; returns the names created."""
    created = []
    for start in month_starts(first, count):
        end = (start + timedelta(days=32)).replace(day=1)
        name = f"{TABLE}_y{start:%Y}m{start:%m}"
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is not None:
            continue
        cursor.execute(
            f"SELECT 1 FROM {TABLE}_default WHERE submitted_at >= %s AND submitted_at < %s LIMIT 1",
            [start, end],
        )
        if cursor.fetchone() is not None:
            continue
        cursor.execute(
            f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)",
            [start.isoformat(), end.isoformat()],
        )
        created.append(name)
    return created


def partition(cursor: Any, today: date) -> None:
    """Rebuild ``ratings_rating`` as a partitioned table holding the same rows."""
    if is_partitioned(cursor):
        return
    old = f"{TABLE}_unpartitioned"
    statements = [
        f"ALTER TABLE {TABLE} RENAME TO {old}",
        f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)"
        " PARTITION BY RANGE (submitted_at)",
        f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id, submitted_at)",
        f"ALTER TABLE {TABLE} ADD FOREIGN KEY (unit_id) REFERENCES accounts_unit (id) DEFERRABLE INITIALLY DEFERRED",
        f"ALTER TABLE {TABLE} ADD FOREIGN KEY (device_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED",
        f"CREATE INDEX {TABLE}_unit_time ON {TABLE} (unit_id, submitted_at)",
        f"CREATE INDEX {TABLE}_device_time ON {TABLE} (device_id, submitted_at)",
        f"CREATE INDEX {TABLE}_client ON {TABLE} (client_id)",
        f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT",
    ]
    for statement in statements:
        cursor.execute(statement)
    # Months around today first, so the copied rows land in them rather than in the default.
    ensure_months(cursor, (today - timedelta(days=730)).replace(day=1), 37)
    cursor.execute(f"INSERT INTO {TABLE} OVERRIDING SYSTEM VALUE SELECT * FROM {old}")
    cursor.execute(f"DROP TABLE {old}")
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), COALESCE((SELECT max(id) FROM {TABLE}), 0) + 1, false)"
    )
