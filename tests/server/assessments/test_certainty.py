"""A cycle's rank intervals are computed off the request: a page that finds none queues the
background task and says so (no column), the task stores them, the next page shows them; a
change of a score makes them stale again. (The bars themselves: tests/e2e/test_rank_intervals.py.)
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.core.roles import Role

pytestmark = pytest.mark.django_db

PENDING = "Chưa có khoảng thứ hạng: hệ thống đang tính trong nền"


@pytest.fixture
def queued_only(settings) -> None:  # type: ignore[no-untyped-def]
    """Tasks are queued and left there, as with no worker running."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_pending_then_stored_then_stale(client, reference_units, make_user, queued_only) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.assessments.models import Assessment, ScoreEntry, StoredCertainty
    from parindex.server.assessments.services import certainty
    from tests.server.plans.conftest import PROVINCES, make_cycle

    admin = make_user("admin", Role.ADMIN, None)
    cycle = make_cycle(2025, PROVINCES, admin)
    Assessment.objects.filter(cycle=cycle).update(state="final")
    client.force_login(admin)
    url = reverse("assessment-preview", kwargs={"pk": cycle.pk})

    page = client.get(url).content.decode()
    assert PENDING in page
    assert "rank-interval-cell" not in page
    assert StoredCertainty.objects.get(cycle=cycle).payload == {"pending": True}
    # A second visit does not queue it again (the stored row says it is under way).
    client.get(url)

    certainty.refresh.call(cycle.pk)  # what the worker does
    page = client.get(url).content.decode()
    assert PENDING not in page
    # The edition declares choices (equal field weights, 1 decimal, N/A as 0): three units,
    # each a bar; no survey is linked, so the note says survey sampling is not included.
    assert page.count('class="rank-interval-cell"') == len(PROVINCES)
    assert "chưa tính sai số chọn mẫu" in page

    entry = ScoreEntry.objects.filter(assessment__cycle=cycle).first()
    assert entry is not None
    ScoreEntry.objects.create(
        assessment=entry.assessment,
        component=entry.component,
        round=entry.round,
        points=0,
        author=admin,
    )
    assert PENDING in client.get(url).content.decode()


def test_a_public_page_waiting_for_intervals_is_not_cached(  # type: ignore[no-untyped-def]
    client, reference_units, make_user, queued_only
) -> None:
    from parindex.server.assessments import services
    from parindex.server.assessments.models import Assessment
    from parindex.server.assessments.services import certainty
    from tests.server.plans.conftest import PROVINCES, make_cycle

    admin = make_user("admin", Role.ADMIN, None)
    cycle = make_cycle(2025, PROVINCES, admin)
    Assessment.objects.filter(cycle=cycle).update(state="final")
    services.publish(cycle, admin)  # queues the computation; no worker runs it here
    url = reverse("results-ranking", kwargs={"index": "par-index-province", "year": 2025})
    assert PENDING in client.get(url).content.decode()
    certainty.refresh.call(cycle.pk)
    page = client.get(url).content.decode()  # anonymous: served from the cache if cached
    assert page.count('class="rank-interval-cell"') == len(PROVINCES)


def test_no_column_and_why_when_nothing_is_uncertain(client, reference_units, make_user) -> None:  # type: ignore[no-untyped-def]
    """Lạng Sơn's cycle of its departments and communes: its edition declares no uncertain
    choice and no survey is linked, so every recomputation would give the published rank."""
    import numpy as np

    from parindex.server.accounts.models import Unit
    from parindex.server.demo.provincial import build_provincial_cycle

    lang_son = Unit.objects.get(ref="province:20")
    admin = make_user("admin-ls", Role.ADMIN, lang_son)
    appraiser = make_user("appraiser", Role.APPRAISER, None)
    cycle = build_provincial_cycle(np.random.default_rng(1), lang_son, admin, appraiser).cycle
    url = reverse(
        "results-ranking", kwargs={"index": "par-index-provincial-units", "year": cycle.year}
    )
    page = client.get(url).content.decode()
    assert "Không có khoảng thứ hạng: phiên bản phương pháp không khai báo" in page
    assert "rank-interval" not in page.split('id="ranking"')[1]
