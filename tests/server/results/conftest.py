"""A published PAR INDEX cycle of three provinces (the assessments' fixtures, finalised)."""

from __future__ import annotations

import pytest

from parindex.core.assessment.workflow import State
from tests.server.assessments.conftest import (  # noqa: F401  (fixtures used by these tests)
    PROVINCES,
    cycle,
    evidence_folder,
    fill_self_assessment,
    people,
)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Pages are cached by their newest publication; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


SHARES = dict(zip(PROVINCES, (0.6, 0.8, 0.7), strict=True))
"""Lạng Sơn, Cao Bằng, Hà Nội: each manual component at this share of its maximum."""


@pytest.fixture
def published(cycle, people):  # type: ignore[no-untyped-def]  # noqa: F811
    from parindex.server.assessments import services
    from parindex.server.assessments.models import Assessment

    for ref, share in SHARES.items():
        fill_self_assessment(cycle.assessments.get(unit__ref=ref), people.focal[ref], share)
    # The workflow is tested with the assessments; here only the end state matters.
    Assessment.objects.filter(cycle=cycle).update(state=State.FINAL)
    services.publish(cycle, people.admin)
    cycle.refresh_from_db()
    return cycle
