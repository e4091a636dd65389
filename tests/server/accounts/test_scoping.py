"""Roles are scoped to units: a role at a unit reaches it and the units below it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from parindex.core.roles import Role
from parindex.server.accounts.models import RoleAssignment, Unit
from parindex.server.accounts.services import grant_role, units_in_scope, user_reaches

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_units: None) -> dict[str, Unit]:
    lang_son = Unit.objects.get(ref="province:20")
    ha_noi = Unit.objects.get(ref="province:01")
    snv = Unit.objects.create(
        ref="t:ls-snv", kind="department", name_vi="Sở Nội vụ tỉnh Lạng Sơn", parent=lang_son
    )
    commune = Unit.objects.create(
        ref="t:ls-commune", kind="commune", name_vi="Xã Thử", parent=lang_son
    )
    return {"lang_son": lang_son, "ha_noi": ha_noi, "snv": snv, "commune": commune}


@pytest.mark.parametrize(
    ("role", "held_at", "target", "expected"),
    [
        (Role.FOCAL_POINT, "lang_son", "lang_son", True),
        (Role.FOCAL_POINT, "lang_son", "snv", True),
        (Role.FOCAL_POINT, "lang_son", "ha_noi", False),
        (Role.FOCAL_POINT, "snv", "lang_son", False),
        (Role.FOCAL_POINT, "snv", "commune", False),
        (Role.ADMIN, "lang_son", "commune", True),
        (Role.ADMIN, "lang_son", "ha_noi", False),
        (Role.ADMIN, None, "ha_noi", True),
        (Role.APPRAISER, None, "commune", True),
    ],
    ids=[
        "a province's focal point reaches its province",
        "a province's focal point reaches the province's department",
        "a province's focal point does not reach another province",
        "a department's focal point does not reach its province",
        "a department's focal point does not reach a commune beside it",
        "a provincial Home Affairs admin reaches the province's communes",
        "a provincial Home Affairs admin does not reach another province",
        "the MOHA admin reaches every province",
        "a national appraiser reaches every commune",
    ],
)
def test_a_role_reaches_its_unit_and_below(
    world: dict[str, Unit], make_user, role: Role, held_at: str | None, target: str, expected: bool
) -> None:
    user = make_user("u", role, world[held_at] if held_at else None)
    assert user_reaches(user, world[target]) is expected
    assert (world[target] in units_in_scope(user)) is expected
    assert user.has_perm("accounts.view_unit", world[target]) is expected


def test_reach_can_be_limited_to_some_roles(world: dict[str, Unit], make_user) -> None:
    user = make_user("both", Role.FOCAL_POINT, world["snv"])
    grant_role(user, Role.PUBLIC, None)
    assert user_reaches(user, world["ha_noi"])
    assert not user_reaches(user, world["ha_noi"], roles=[Role.FOCAL_POINT])
    assert set(units_in_scope(user, [Role.FOCAL_POINT])) == {world["snv"]}


def test_a_user_without_roles_reaches_nothing(world: dict[str, Unit], make_user) -> None:
    user = make_user("nobody")
    assert not user_reaches(user, world["lang_son"])
    assert units_in_scope(user).count() == 0


def test_the_national_scope_lists_every_unit(world: dict[str, Unit], make_user) -> None:
    user = make_user("moha", Role.ADMIN, None)
    assert units_in_scope(user).count() == Unit.objects.count() == 105 + 2


def test_granting_the_same_role_twice_keeps_one_assignment(
    world: dict[str, Unit], make_user
) -> None:
    user = make_user("twice", Role.LEADER, world["lang_son"])
    grant_role(user, Role.LEADER, world["lang_son"])
    grant_role(user, Role.APPRAISER, None)
    grant_role(user, Role.APPRAISER, None)
    assert RoleAssignment.objects.filter(user=user).count() == 2


def test_a_focal_point_cannot_be_granted_nationally(make_user) -> None:
    user = make_user("x")
    with pytest.raises(ValueError, match="held at a unit"):
        grant_role(user, Role.FOCAL_POINT, None)


def test_the_database_refuses_a_unit_bound_role_without_a_unit(make_user) -> None:
    user = make_user("x")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.COUNTER_DEVICE.value, unit=None)


def test_the_database_refuses_a_second_identical_national_role(make_user) -> None:
    user = make_user("x", Role.COUNCIL_MEMBER, None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER.value, unit=None)
