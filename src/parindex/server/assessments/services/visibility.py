"""Who sees which assessment and plays which role for it: the one place the assessments app
decides a permission. Reach over the unit hierarchy is the accounts app's rule
(``accounts.services.user_reaches``, behind the django-rules predicates), never decided here."""

from __future__ import annotations

from parindex.core.assessment.workflow import State
from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.accounts.services import has_role, user_reaches
from parindex.server.assessments.models import Assessment, Cycle


def speaks_for(user: User, assessment: Assessment, role: Role) -> bool:
    """Whether ``user`` holds a unit role (focal point, leader) that reaches this unit."""
    return user_reaches(user, assessment.unit, [role])


def roles_for(user: User, assessment: Assessment) -> frozenset[Role]:
    """The roles ``user`` plays for this unit's assessment."""
    roles = set()
    for role in (Role.FOCAL_POINT, Role.LEADER):
        if speaks_for(user, assessment, role):
            roles.add(role)
    if assessment.appraisers.filter(pk=user.pk).exists():
        roles.add(Role.APPRAISER)
    roles.update(role for role in (Role.COUNCIL_MEMBER, Role.ADMIN) if has_role(user, role))
    return frozenset(roles)


def can_view(user: User, assessment: Assessment) -> bool:
    """A unit sees its own assessment; appraisers their assigned units; the council and admins
    all. A unit's drafts are its own until submitted. Before the administrator opens the cycle
    only administrators see it."""
    roles = roles_for(user, assessment)
    if Role.ADMIN in roles:
        return True
    cycle = assessment.cycle
    if not cycle.is_open and cycle.published_at is None:
        return False
    if roles & {Role.FOCAL_POINT, Role.LEADER}:
        return True
    submitted = assessment.state not in (State.DRAFT, State.APPROVED)
    return bool(roles & {Role.APPRAISER, Role.COUNCIL_MEMBER}) and submitted


def holds(user: User, role: Role) -> bool:
    """Whether ``user`` holds ``role`` anywhere (cycle-wide steps: publishing, the council)."""
    return has_role(user, role)


def is_staff(user: User, *roles: Role) -> bool:
    """An administrator, or someone holding one of ``roles`` (council, survey manager …)."""
    return any(has_role(user, role) for role in (Role.ADMIN, *roles))


def visible_assessments(user: User, cycle: Cycle) -> list[Assessment]:
    """The cycle's assessments ``user`` may open, in unit order."""
    query = cycle.assessments.select_related("cycle", "unit").order_by("unit__ref")
    return [a for a in query if can_view(user, a)]


def open_assessments(user: User, role: Role, limit: int = 100) -> list[Assessment]:
    """The assessments of unpublished cycles that ``user`` works on in ``role``."""
    found = []
    query = Assessment.objects.filter(cycle__published_at__isnull=True).select_related(
        "cycle", "unit"
    )
    if role is Role.APPRAISER:
        query = query.filter(appraisers=user)
    for assessment in query.order_by("-cycle__year", "unit__code"):
        if role in roles_for(user, assessment) and can_view(user, assessment):
            found.append(assessment)
            if len(found) == limit:
                break
    return found
