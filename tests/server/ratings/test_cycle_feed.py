"""A unit's Decision 766 result feeds the ``computed:d766.*`` components of an assessment cycle:
the administrator takes the points from one-stop data on the cycle's survey-points page."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parindex.core.methodology.shipped import load_shipped
from parindex.core.roles import Role
from parindex.server.assessments.models import Cycle, Round, ScoreEntry
from parindex.server.assessments.services import score_table
from parindex.server.ratings.models import Dossier, Rating

from .conftest import Site


def at(day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(2024, 5, day, hour))


def two_dossiers(site: Site) -> None:
    """As in test_indicators: appointment Fri 10 May 2024; HS-1 finished Thu 9 (on time),
    HS-2 Mon 13 (overdue) and rated 1 (disliked)."""
    for code, finished in (("HS-1", 9), ("HS-2", 13)):
        Dossier.objects.create(
            code=code,
            procedure="1.001",
            unit=site.centre,
            received=at(6),
            appointment=at(10, 16),
            finished=at(finished),
        )
    for code, satisfaction in (("HS-1", 5), ("HS-2", 1)):
        Rating.objects.create(
            client_id=uuid.uuid4(),
            channel="device",
            unit=site.centre,
            dossier_code=code,
            satisfaction=satisfaction,
            submitted_at=at(14),
        )


def test_the_points_of_one_stop_data_stand_in_the_cycle(
    site: Site, make_user: Callable[..., object], make_cycle: Callable[..., Cycle]
) -> None:
    two_dossiers(site)
    cycle = make_cycle("decision-766/2022", [site.province.ref], year=2024)  # type: ignore[attr-defined]
    admin = make_user("quan-tri", Role.ADMIN)
    client = Client()
    client.force_login(admin)  # type: ignore[arg-type]
    page = reverse("assessment-survey", kwargs={"pk": cycle.pk})
    shown = client.get(page).content.decode()
    assert "Lấy điểm từ dữ liệu một cửa" in shown and "2.1" in shown
    response = client.post(page, {"source": "onestop"}, follow=True)
    stored = {e.component: e for e in ScoreEntry.objects.filter(assessment__cycle=cycle)}
    # By hand (Decision 766, the shipped edition's rules, over 2024): 2.1 on time 1 of 2 →
    # 20 × 1/2 = 10.00; 5.4 = 1 − 1/2 overdue − 1/2 disliked = 0 → 0.00.
    assert stored["2.1"].points == 10.0
    assert stored["5.4"].points == 0.0
    edition = load_shipped("decision-766/2022").value
    assert edition is not None
    computed = {n.id for _f, _c, n in edition.scored() if n.source.startswith("computed:d766.")}
    assert set(stored) <= computed
    assert all(e.round == Round.SURVEY and e.reason == "one-stop data" for e in stored.values())
    assert f"Đã lấy {len(stored)} điểm từ dữ liệu một cửa." in response.content.decode()
    # They stand: the unit's total in the cycle's table is their sum.
    (row,) = score_table(cycle).results
    assert row.points == sum(e.points for e in stored.values())


def test_only_who_imports_survey_points_takes_them_and_only_where_they_exist(
    site: Site, make_user: Callable[..., object], make_cycle: Callable[..., Cycle]
) -> None:
    two_dossiers(site)
    cycle = make_cycle("decision-766/2022", [site.province.ref], year=2024)  # type: ignore[attr-defined]
    focal = make_user("dau-moi", Role.FOCAL_POINT, site.province)
    client = Client()
    client.force_login(focal)  # type: ignore[arg-type]
    page = reverse("assessment-survey", kwargs={"pk": cycle.pk})
    assert client.post(page, {"source": "onestop"}).status_code == 403
    assert not ScoreEntry.objects.exists()
    # A PAR INDEX cycle has no such component: no button, and a crafted post is refused, worded.
    par = make_cycle("par-index-province/2023", [site.province.ref], year=2024, name="CCHC")  # type: ignore[attr-defined]
    admin = make_user("quan-tri", Role.ADMIN)
    client.force_login(admin)  # type: ignore[arg-type]
    par_page = reverse("assessment-survey", kwargs={"pk": par.pk})
    assert "Lấy điểm từ dữ liệu một cửa" not in client.get(par_page).content.decode()
    refused = client.post(par_page, {"source": "onestop"}, follow=True).content.decode()
    assert "không có thành phần nào của chỉ số này được tính từ dữ liệu một cửa" in refused
    assert not ScoreEntry.objects.exists()
