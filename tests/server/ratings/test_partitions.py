"""On PostgreSQL the ratings table is partitioned by month (migration 0002): a rating lands in
its month's partition, one outside the months created in the default partition, and both are
read back through the one table."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from parindex.server.ratings import partitions
from parindex.server.ratings.models import Rating

from .conftest import Site


def partition_of(client_id: uuid.UUID) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM ratings_rating WHERE client_id = %s", [client_id]
        )
        return str(cursor.fetchone()[0])


def test_ratings_land_in_their_months_partition(site: Site) -> None:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            assert not cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE name LIKE 'ratings_rating_y%'"
            ).fetchall()
        return  # SQLite keeps one plain table, by design
    with connection.cursor() as cursor:
        assert partitions.is_partitioned(cursor)
    this_month = timezone.localdate().replace(day=1)
    recent, ancient = uuid.uuid4(), uuid.uuid4()
    for client_id, moment in (
        (recent, timezone.now()),
        (ancient, timezone.make_aware(datetime(2001, 1, 15))),
    ):
        Rating.objects.create(
            client_id=client_id,
            channel="device",
            unit=site.centre,
            counter="Q1",
            satisfaction=3,
            submitted_at=moment,
        )
    assert partition_of(recent) == f"ratings_rating_y{this_month:%Y}m{this_month:%m}"
    assert partition_of(ancient) == "ratings_rating_default"
    assert Rating.objects.filter(client_id__in=[recent, ancient]).count() == 2
    # A month ahead is created once; a month whose rows already sit in the default is skipped.
    with connection.cursor() as cursor:
        assert partitions.ensure_months(cursor, date(2001, 1, 1), 2) == ["ratings_rating_y2001m02"]
        assert partitions.ensure_months(cursor, date(2001, 1, 1), 2) == []


@pytest.mark.parametrize("months", [1, 13])
def test_month_starts(months: int) -> None:
    starts = partitions.month_starts(date(2024, 12, 31), months)
    assert starts[0] == date(2024, 12, 1) and len(starts) == months
    assert starts[-1] == (date(2025, 12, 1) if months == 13 else date(2024, 12, 1))
