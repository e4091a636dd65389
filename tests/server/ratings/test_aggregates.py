"""The dashboard's indicators, summed by the database (``aggregates``), equal the indicators
computed rating by rating (``services``) on a period mixing every kind of rating: dossier-linked
(with the dossier's times for index 1), naming an unknown dossier, without a dossier,
burst-flagged, by officer and not; a dossier rated on two channels counts its first rating; and
the demo's bulk load lands in the same figures."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from parindex.core.onestop import Period
from parindex.server.ratings import aggregates, demo_volume
from parindex.server.ratings.models import Dossier, Rating, RatingKey

from . import oracle
from .conftest import Site


def at(day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(2024, 5, day, hour))


def _world(site: Site) -> None:
    pick = random.Random(16)
    for k in range(12):
        Dossier.objects.create(
            code=f"HS-{k}", procedure=f"1.00{k % 3}", unit=site.centre, received=at(2 + k % 5),
            appointment=at(10, 16), finished=at(6 + k % 8) if k % 4 else None,
            officer=f"Cán bộ {k % 3}", online=k % 2 == 0, digitised=k % 3 == 0,
        )  # fmt: skip

    def answer() -> int | None:
        return pick.choice([0, 1, 2, None])

    for k in range(80):
        # One rating per dossier (HS-13, HS-14 are no dossier of the period); the others none.
        code = f"HS-{k}" if k % 3 and k < 15 else ""
        Rating.objects.create(
            client_id=uuid.uuid4(), channel="device" if k % 2 else "online", unit=site.centre,
            dossier_code=code, officer=f"Cán bộ {k % 4}" if k % 5 else "",
            index1=answer(), index3=answer(), index4=answer(), index7=answer(),
            satisfaction=pick.randint(1, 5), submitted_at=at(10 + k % 15, 8 + k % 9),
            burst=k % 17 == 0,
        )  # fmt: skip


def test_the_summed_indicators_equal_the_ones_computed_rating_by_rating(site: Site) -> None:
    _world(site)
    period = Period.parse("2024-05")
    assert aggregates.tt01_result(site.province, period) == oracle.tt01_result(  # type: ignore[arg-type]
        site.province,  # type: ignore[arg-type]
        period,
    )
    slow = oracle.officer_results(site.province, period)  # type: ignore[arg-type]
    fast = aggregates.officer_results(site.province, period)  # type: ignore[arg-type]
    assert len(fast) == 4 and fast == slow
    as_of = timezone.localdate()
    assert aggregates.d766_result(site.province, period, as_of=as_of) == oracle.d766_result(  # type: ignore[arg-type]
        site.province,  # type: ignore[arg-type]
        period,
        as_of=as_of,
    )


def test_a_dossier_rated_on_two_channels_counts_its_first_rating(site: Site) -> None:
    # ``services`` takes whichever the database returns first (no order on PostgreSQL's
    # partitions); the summed path takes the first given: index 3 = 2, not 0.
    Dossier.objects.create(
        code="HS-A", procedure="1.001", unit=site.centre, received=at(2), appointment=at(10)
    )
    for channel, points, day in (("online", 0, 12), ("device", 2, 11)):
        Rating.objects.create(
            client_id=uuid.uuid4(), channel=channel, unit=site.centre, dossier_code="HS-A",
            index3=points, satisfaction=3, submitted_at=at(day),
        )  # fmt: skip
    assert aggregates.tt01_result(site.province, Period.parse("2024-05")).indices == {3: 2.0}  # type: ignore[arg-type]


def test_the_demo_load_stores_ratings_the_indicators_read(site: Site) -> None:
    start = timezone.localtime().replace(tzinfo=None) - timedelta(days=365)
    assert demo_volume.insert(3_000, [site.centre.pk], start, seed=7) == 3_000  # type: ignore[attr-defined]
    assert Rating.objects.count() == RatingKey.objects.count() == 3_000
    # Times are stored as Django stores them: every rating within the year, read back aware.
    first, last = (
        Rating.objects.order_by("submitted_at").first(),
        Rating.objects.order_by("-submitted_at").first(),
    )
    assert first is not None and last is not None
    assert timezone.localtime(first.submitted_at).replace(tzinfo=None) >= start
    assert last.submitted_at <= timezone.now()
    year = Period.parse(str(timezone.localdate().year))
    assert aggregates.tt01_result(site.province, year) == oracle.tt01_result(site.province, year)  # type: ignore[arg-type]
