"""Many rows inserted at once without the ORM's per-value compilation.

A national intake or sample is tens of thousands of rows; ``bulk_create`` spends most of its
time building each row's SQL and model instance. Here each row is a tuple prepared only where a
field needs it (JSON, dates), sent with ``executemany`` on whichever database is configured.
No primary keys come back: callers that need them use ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

CHUNK = 5000


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table."""
    columns = [model._meta.get_field(name) for name in fields]
    prepare = [
        column if isinstance(column, models.JSONField | models.DateTimeField) else None
        for column in columns
    ]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(c.column) for c in columns)}) "  # type: ignore[union-attr]
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    count = 0
    chunk: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(
                tuple(
                    value if field is None else field.get_db_prep_save(value, connection)
                    for field, value in zip(prepare, row, strict=True)
                )
            )
            if len(chunk) == CHUNK:
                cursor.executemany(sql, chunk)
                count, chunk = count + len(chunk), []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count
