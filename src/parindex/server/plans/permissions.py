"""Who may see and change a plan: the unit's focal points and leaders (and those of the units
above it, through the hierarchy) and administrators; the same rules for pages and downloads."""

from __future__ import annotations

import rules

from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.accounts.services import has_role, user_reaches
from parindex.server.plans.models import ImprovementPlan


@rules.predicate
def works_on_plan(user: User, plan: ImprovementPlan | None) -> bool:
    if plan is None:
        return False
    return has_role(user, Role.ADMIN) or user_reaches(
        user, plan.unit, [Role.FOCAL_POINT, Role.LEADER]
    )


rules.add_perm("plans.view_improvementplan", rules.is_authenticated & works_on_plan)
rules.add_perm("plans.change_improvementplan", rules.is_authenticated & works_on_plan)
