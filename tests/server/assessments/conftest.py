"""A PAR INDEX cycle on the database: three provinces, their focal points and leaders, an
appraiser assigned to two of them, a council member and an administrator."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from parindex.core.roles import Role


@dataclass
class People:
    admin: object
    focal: dict[str, object]
    leader: dict[str, object]
    appraiser: object
    other_appraiser: object
    council: object


PROVINCES = ("province:20", "province:04", "province:01")


@pytest.fixture(autouse=True)
def evidence_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cycle(reference_units: None, make_cycle):  # type: ignore[no-untyped-def]
    return make_cycle("par-index-province/2023", PROVINCES)


@pytest.fixture
def people(cycle, make_user) -> People:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    units = {ref: Unit.objects.get(ref=ref) for ref in PROVINCES}
    focal = {}
    leader = {}
    for ref, unit in units.items():
        focal[ref] = make_user(f"focal-{ref[-2:]}", Role.FOCAL_POINT, unit)
        focal[ref].email = f"focal{ref[-2:]}@example.vn"
        focal[ref].save()
        leader[ref] = make_user(f"leader-{ref[-2:]}", Role.LEADER, unit)
    appraiser = make_user("appraiser", Role.APPRAISER, None)
    appraiser.email = "appraiser@example.vn"
    appraiser.save()
    other = make_user("appraiser-2", Role.APPRAISER, None)
    for assessment in cycle.assessments.filter(unit__ref__in=PROVINCES[:2]):
        assessment.appraisers.add(appraiser)
    cycle.assessments.get(unit__ref=PROVINCES[2]).appraisers.add(other)
    return People(
        admin=make_user("admin", Role.ADMIN, None),
        focal=focal,
        leader=leader,
        appraiser=appraiser,
        other_appraiser=other,
        council=make_user("council", Role.COUNCIL_MEMBER, None),
    )


def fill_self_assessment(assessment, focal, share: float) -> None:  # type: ignore[no-untyped-def]
    """Every manual component at ``share`` of its maximum, evidence explained as absent."""
    from parindex.core.methodology.rules import ManualRule
    from parindex.server.assessments import services

    edition = services.edition_of(assessment.cycle)
    for component in services.components(edition, assessment.unit.kind):
        if isinstance(component.spec.rule, ManualRule):
            services.save_self_score(
                assessment,
                focal,
                component.id,
                points=round(component.spec.max_points * share, 2),
                explanation="Văn bản lưu tại Sở Nội vụ" if component.spec.evidence_required else "",
            )
