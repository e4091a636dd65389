from __future__ import annotations

import pytest

from parindex.core.roles import Role, requires_unit


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_a_role_survives_its_url_slug(role: Role) -> None:
    assert Role.from_slug(role.slug) is role
    assert "_" not in role.slug


@pytest.mark.parametrize(
    ("role", "needs_unit"),
    [
        (Role.FOCAL_POINT, True),
        (Role.LEADER, True),
        (Role.COUNTER_DEVICE, True),
        (Role.ADMIN, False),
        (Role.APPRAISER, False),
        (Role.COUNCIL_MEMBER, False),
        (Role.SURVEY_MANAGER, False),
        (Role.PUBLIC, False),
    ],
    ids=lambda v: str(v),
)
def test_roles_that_act_for_one_unit_need_a_unit(role: Role, needs_unit: bool) -> None:
    assert requires_unit(role) is needs_unit
