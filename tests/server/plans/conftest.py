"""A PAR INDEX cycle with three provinces' scores, their focal points and leaders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parindex.core.roles import Role

PROVINCES = {"province:20": 0.80, "province:04": 0.88, "province:01": 0.95}


def make_cycle(year: int, shares: dict[str, float], author):  # type: ignore[no-untyped-def]
    """A cycle whose every component stands at ``share`` of its maximum for each province."""
    from parindex.server.accounts.models import Unit
    from parindex.server.assessments import services
    from parindex.server.assessments.models import Assessment, Cycle, Round, ScoreEntry

    now = timezone.now()
    cycle = Cycle.objects.create(
        year=year,
        name=f"Chỉ số CCHC {year}",
        edition="par-index-province/2023",
        self_assessment_deadline=now + timedelta(days=10),
        explanation_deadline=now + timedelta(days=20),
        appraisal_deadline=now + timedelta(days=30),
        is_open=True,
    )
    edition = services.edition_of(cycle)
    for ref, share in shares.items():
        assessment = Assessment.objects.create(cycle=cycle, unit=Unit.objects.get(ref=ref))
        ScoreEntry.objects.bulk_create(
            ScoreEntry(
                assessment=assessment,
                component=c.id,
                round=Round.SELF,
                points=round(c.spec.max_points * share, 2),
                author=author,
            )
            for c in services.components(edition, assessment.unit.kind)
        )
    return cycle


@pytest.fixture
def setting(reference_units, make_user):  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    units = {ref: Unit.objects.get(ref=ref) for ref in PROVINCES}
    admin = make_user("admin", Role.ADMIN, None)
    people = {
        "admin": admin,
        "focal": make_user("focal-20", Role.FOCAL_POINT, units["province:20"]),
        "leader": make_user("leader-20", Role.LEADER, units["province:20"]),
        "other": make_user("focal-04", Role.FOCAL_POINT, units["province:04"]),
        "appraiser": make_user("appraiser", Role.APPRAISER, None),
    }
    return make_cycle(2025, PROVINCES, admin), units, people
