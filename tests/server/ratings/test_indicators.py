"""A unit's Circular 01 and Decision 766 results from stored dossiers and ratings, counted over
the unit and every unit below it."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.utils import timezone

from parindex.core.onestop import Period
from parindex.server.ratings.aggregates import d766_result, tt01_result
from parindex.server.ratings.models import Dossier, Rating

from .conftest import Site


def at(day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(2024, 5, day, hour))


def test_the_province_counts_its_centres_dossiers_and_ratings(site: Site) -> None:
    # Two dossiers at the centre (below the province), appointment Fri 10 May:
    #   HS-1 finished Thu 9 → index 1 = 2; rated 3 → 2, 4 → 2, 7 → 1, satisfaction 5
    #   HS-2 finished Mon 13 → index 1 = 0 (overdue); rated 3 → 1, 4 → 2, 7 → 0, satisfaction 1 (dislike)
    # A burst-flagged rating is kept but not counted; one at the other province is not counted.
    # Index 1 = (2 + 0) / 2 = 1.0; 3 = 1.5; 4 = 2.0; 7 = 0.5. Total 5.0; indices 2, 5, 6, 8, 9 missing.
    for code, finished in (("HS-1", 9), ("HS-2", 13)):
        Dossier.objects.create(
            code=code,
            procedure="1.001",
            unit=site.centre,
            received=at(6),
            appointment=at(10, 16),
            finished=at(finished),
        )
    common = {"channel": "device", "submitted_at": at(14), "unit": site.centre}
    Rating.objects.create(
        client_id=uuid.uuid4(),
        dossier_code="HS-1",
        index3=2,
        index4=2,
        index7=1,
        satisfaction=5,
        **common,
    )
    Rating.objects.create(
        client_id=uuid.uuid4(),
        dossier_code="HS-2",
        index3=1,
        index4=2,
        index7=0,
        satisfaction=1,
        **common,
    )
    Rating.objects.create(
        client_id=uuid.uuid4(),
        counter="Q1",
        index3=0,
        index4=0,
        index7=0,
        satisfaction=1,
        burst=True,
        **common,
    )
    Rating.objects.create(
        client_id=uuid.uuid4(),
        counter="Q9",
        index3=0,
        satisfaction=1,
        channel="device",
        submitted_at=at(14),
        unit=site.other,
    )
    result = tt01_result(site.province, Period.parse("2024-05"))  # type: ignore[arg-type]
    assert result.indices == {1: 1.0, 3: 1.5, 4: 2.0, 7: 0.5}
    assert result.total == 5.0
    assert result.missing == (2, 5, 6, 8, 9)
    # Another month holds none of it.
    assert tt01_result(site.province, Period.parse("2024-06")).indices == {}  # type: ignore[arg-type]

    # Decision 766: on time 1/2 → 2.1 = 10.00; 5.4 = 1 − 1/2 − 1/2 (HS-2 both overdue and disliked,
    # as the formula adds the two rates) = 0 → 0.00.
    d766 = d766_result(site.province, Period.parse("2024-05"))  # type: ignore[arg-type]
    assert d766.points["2.1"] == 10.0
    assert d766.points["5.4"] == 0.0
