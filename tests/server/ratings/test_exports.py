"""Ratings exported to Parquet by period feed the analytics; demo ratings are inserted in bulk."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
from django.utils import timezone

from parindex.analytics import connect, satisfaction_by
from parindex.core.onestop import Period
from parindex.server.ratings.exports import export_parquet, insert_demo_ratings
from parindex.server.ratings.models import Dossier, Rating

from .conftest import Site


def test_a_months_ratings_go_to_one_parquet_file_the_analytics_read(
    site: Site, tmp_path: Path
) -> None:
    def at(month: int, day: int, hour: int) -> datetime:
        return timezone.make_aware(datetime(2025, month, day, hour))

    Dossier.objects.create(
        code="HS-1",
        procedure="1.001",
        unit=site.centre,
        received=at(5, 2, 8),
        appointment=at(5, 9, 8),
    )
    for satisfaction, moment, code in (
        (5, at(5, 1, 0), "HS-1"),
        (2, at(5, 31, 23), ""),
        (4, at(6, 1, 0), ""),
    ):
        Rating.objects.create(
            client_id=uuid.uuid4(), channel="device", unit=site.centre, dossier_code=code, counter="Q1",
            satisfaction=satisfaction, submitted_at=moment,
        )  # fmt: skip
    # 00:00 on 1 May and 23:00 on 31 May in Vietnam are May; 00:00 on 1 June is not.
    path, rows = export_parquet(Period.parse("2025-05"), tmp_path)
    assert (path.name, rows) == ("ratings-2025-05.parquet", 2)
    table = pq.read_table(path)
    assert sorted(table.column("satisfaction").to_pylist()) == [2, 5]
    assert sorted(table.column("procedure").to_pylist()) == ["", "1.001"]
    con = connect("duckdb")
    result = con.execute(satisfaction_by(con.read_parquet(path), keys=("unit", "month")))
    assert result.to_dict("records") == [
        {
            "unit": site.centre.pk,
            "month": "2025-05",
            "ratings": 2,
            "mean_satisfaction": 3.5,
            "satisfied_share": 0.5,
        }  # type: ignore[attr-defined]
    ]
    assert not list(tmp_path.glob("*.part"))


def test_demo_ratings_are_inserted_in_bulk(site: Site) -> None:
    assert (
        insert_demo_ratings(2_500, [site.centre.pk, site.other.pk], datetime(2025, 1, 1)) == 2_500
    )  # type: ignore[attr-defined]
    assert Rating.objects.count() == 2_500
    assert set(Rating.objects.values_list("unit_id", flat=True).distinct()) == {
        site.centre.pk,
        site.other.pk,
    }  # type: ignore[attr-defined]
    assert 1 <= min(Rating.objects.values_list("satisfaction", flat=True)) <= 5
