"""Who sees which assessment and plays which role for it: the one place the assessments app
asks a permission. The rules themselves (reach over the unit hierarchy, a cycle's organiser)
are the accounts app's one rule set, ``accounts.permissions``; nothing is decided here.

A cycle belongs to its organiser: the Ministry (a national cycle) or a province. Its
administrators, council members and survey managers are those whose role is held at the
organiser or above it, so a province's administrator runs the province's own cycle and has no
say in the Ministry's cycle that assesses the province."""

from __future__ import annotations

from django.db.models import QuerySet

from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.accounts.permissions import allows, assessment_roles
from parindex.server.accounts.services import user_reaches
from parindex.server.assessments.models import Assessment, Cycle


def speaks_for(user: User, assessment: Assessment, role: Role) -> bool:
    """Whether ``user`` holds a unit role (focal point, leader) that reaches this unit."""
    return user_reaches(user, assessment.unit, [role])


def may(user: User, permission: str, obj: object) -> bool:
    """Whether the rule ``permission`` (``accounts.permissions``) lets ``user`` act on ``obj``:
    the one way the assessments views ask."""
    return allows(user, permission, obj)


def roles_for(user: User, assessment: Assessment) -> frozenset[Role]:
    """The roles ``user`` plays for this unit's assessment (``accounts.permissions``)."""
    return assessment_roles(user, assessment)


def can_view(user: User, assessment: Assessment) -> bool:
    """The rule ``assessments.view_assessment``: a unit sees its own assessment; appraisers
    their assigned units; the cycle's council and administrators all. A unit's drafts are its
    own until submitted. Before the administrator opens the cycle only administrators see it."""
    return allows(user, "assessments.view_assessment", assessment)


def manages(user: User, cycle: Cycle) -> bool:
    """The rule ``assessments.administer_cycle`` (the organiser's administrators)."""
    return allows(user, "assessments.administer_cycle", cycle)


def listed(cycle: Cycle) -> QuerySet[Assessment]:
    """The cycle's assessments in unit order, fetched with what the rules read of each (the
    unit's parent, the cycle's organiser, the appraisers): a list asks the rules once a row.
    Every row's ``cycle`` is ``cycle`` itself (the related manager sets it), never joined: a
    join decoded the cycle's published table once a row (78 × for Lạng Sơn's units)."""
    cycle.organiser  # noqa: B018 -- read once, on the one instance every row shares
    return (
        cycle.assessments.select_related("unit__parent")
        .prefetch_related("appraisers")
        .order_by("unit__ref")
    )


def visible_assessments(user: User, cycle: Cycle) -> list[Assessment]:
    """The cycle's assessments ``user`` may open, in unit order."""
    return [a for a in listed(cycle) if can_view(user, a)]


def open_assessments(user: User, role: Role, limit: int = 100) -> list[Assessment]:
    """The assessments of unpublished cycles that ``user`` works on in ``role``."""
    found = []
    query = (
        Assessment.objects.filter(cycle__published_at__isnull=True)
        .select_related("cycle__organiser", "unit__parent")
        .prefetch_related("appraisers")
    )
    if role is Role.APPRAISER:
        query = query.filter(appraisers=user)
    for assessment in query.order_by("-cycle__year", "unit__code"):
        if role in roles_for(user, assessment) and can_view(user, assessment):
            found.append(assessment)
            if len(found) == limit:
                break
    return found
