"""Roles people and devices play in determining an index, and the reach of each role.

A role is held *at* a unit (a ministry, a province, a commune …) and then reaches that unit and
every unit below it. A national role is held at no unit and reaches every unit. Some roles only
make sense at a unit: a focal point speaks for one unit, a counter device sits at one centre.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    FOCAL_POINT = "focal_point"
    LEADER = "leader"
    APPRAISER = "appraiser"
    COUNCIL_MEMBER = "council_member"
    SURVEY_MANAGER = "survey_manager"
    COUNTER_DEVICE = "counter_device"
    PUBLIC = "public"

    @property
    def slug(self) -> str:
        """The role's URL segment, e.g. ``focal-point``."""
        return self.value.replace("_", "-")

    @classmethod
    def from_slug(cls, slug: str) -> Role:
        return cls(slug.replace("-", "_"))


UNIT_BOUND_ROLES: frozenset[Role] = frozenset({Role.FOCAL_POINT, Role.LEADER, Role.COUNTER_DEVICE})
"""Roles that must be held at a unit: they act *for* one unit, never nationally."""


def requires_unit(role: Role) -> bool:
    """Whether ``role`` can only be held at a unit (not nationally).

    >>> requires_unit(Role.FOCAL_POINT), requires_unit(Role.ADMIN)
    (True, False)
    """
    return role in UNIT_BOUND_ROLES
