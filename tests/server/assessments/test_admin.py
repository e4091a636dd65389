"""Administrators set up cycles in the admin; the score history cannot be edited there."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_admin_sets_up_a_cycle_and_cannot_rewrite_score_history(cycle, people) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.assessments import services
    from tests.server.assessments.conftest import PROVINCES

    people.admin.is_staff = people.admin.is_superuser = True
    people.admin.save()
    client = Client()
    client.force_login(people.admin)
    page = client.get(f"/admin/assessments/cycle/{cycle.pk}/change/")
    assert page.status_code == 200 and "Tỉnh Lạng Sơn" in page.text
    entry = services.save_self_score(
        cycle.assessments.get(unit__ref=PROVINCES[0]),
        people.focal[PROVINCES[0]],
        "1.1.1",
        points=0.5,
    )
    change = client.post(f"/admin/assessments/scoreentry/{entry.pk}/change/", {"points": 1.0})
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.points == 0.5
