"""Every permission decision of the site: django-rules predicates over the unit hierarchy.

A role held at a unit reaches that unit and everything below it (``core.units.hierarchy``); a
national role reaches everything. That holds for administrators too: a provincial Department of
Home Affairs administrator administers the province's units, never another province's, nor a
national cycle or survey. Objects say where they belong: a survey by its unit (a survey with no
unit is national), a cycle by its organiser (the Ministry: national roles only; a province: the
roles held at the province or above). A cycle's administrators, council members and survey
managers act for all its units; a unit's own people (focal point, leader) act for the unit's
assessment whoever organises the cycle. So a provincial administrator runs the province's own
cycle of its departments and communes, and has no say in the Ministry's cycle that assesses the
province. Pages and downloads ask the same permission.

Views and services ask :func:`allows` (not ``user.has_perm``): Django's superuser flag, which
grants every permission, does not widen a role's reach here.
"""

from __future__ import annotations

from typing import Any

import rules

from parindex.core.assessment.workflow import State
from parindex.core.roles import Role
from parindex.server.accounts import services
from parindex.server.accounts.models import Unit, User

UNIT_SIDE = frozenset({Role.FOCAL_POINT, Role.LEADER})
DRAFT_STATES = frozenset({State.DRAFT, State.APPROVED})


def allows(user: Any, permission: str, obj: object = None) -> bool:
    """Whether ``user`` has ``permission`` on ``obj`` by the rules below."""
    return bool(rules.has_perm(permission, user, obj))


def assessment_roles(user: User, assessment: Any) -> frozenset[Role]:
    """The roles ``user`` plays for one unit's assessment: focal point and leader held at or
    above its unit, administrator and council member held over the cycle's organiser, and
    appraiser where assigned to it."""
    if not user.is_authenticated:
        return frozenset()
    roles = set(services.roles_at(user, assessment.unit) & UNIT_SIDE)
    organiser = assessment.cycle.organiser
    roles.update(
        role
        for role in (Role.ADMIN, Role.COUNCIL_MEMBER)
        if services.holds_over(user, organiser, [role])
    )
    # .all(), not .filter(): a list of assessments fetches their appraisers in one query.
    if any(appraiser.pk == user.pk for appraiser in assessment.appraisers.all()):
        roles.add(Role.APPRAISER)
    return frozenset(roles)


@rules.predicate
def reaches_unit(user: User, unit: Unit | None) -> bool:
    return unit is not None and services.user_reaches(user, unit)


@rules.predicate
def sees_assessment(user: User, assessment: Any) -> bool:
    """A unit sees its own assessment; appraisers their assigned units; council members and
    administrators those they reach. A unit's drafts are its own until submitted. Before the
    administrator opens the cycle only administrators see it."""
    if assessment is None:
        return False
    roles = assessment_roles(user, assessment)
    if Role.ADMIN in roles:
        return True
    cycle = assessment.cycle
    if not cycle.is_open and cycle.published_at is None:
        return False
    if roles & UNIT_SIDE:
        return True
    submitted = State(assessment.state) not in DRAFT_STATES
    return bool(roles & {Role.APPRAISER, Role.COUNCIL_MEMBER}) and submitted


@rules.predicate
def sees_evidence(user: User, evidence: Any) -> bool:
    return evidence is not None and sees_assessment(user, evidence.assessment)


def over_cycle(*roles: Role) -> rules.Predicate:
    """One of ``roles`` held over the cycle's organiser (nationally for a Ministry's cycle)."""

    def check(user: User, cycle: Any) -> bool:
        return cycle is not None and services.holds_over(user, cycle.organiser, roles)

    return rules.predicate(check, name="over_cycle:" + ",".join(roles))


def over_survey(*roles: Role) -> rules.Predicate:
    """One of ``roles`` reaching the survey's unit (a national survey: held nationally)."""

    def check(user: User, survey: Any) -> bool:
        return survey is not None and services.reaches_every(user, [survey.unit_id], roles)

    return rules.predicate(check, name="over_survey:" + ",".join(roles))


def holds_anywhere(*roles: Role) -> rules.Predicate:
    def check(user: User) -> bool:
        return any(services.has_role(user, role) for role in roles)

    return rules.predicate(check, name="holds_anywhere:" + ",".join(roles))


@rules.predicate
def cycle_opened(user: User, cycle: Any) -> bool:
    """Opened by its administrators (or published): before that, the cycle is theirs alone."""
    return cycle is not None and (cycle.is_open or cycle.published_at is not None)


administers_cycle = over_cycle(Role.ADMIN)
council_over_cycle = over_cycle(Role.COUNCIL_MEMBER) & cycle_opened
reviews_cycle = administers_cycle | council_over_cycle
survey_points_over_cycle = administers_cycle | (over_cycle(Role.SURVEY_MANAGER) & cycle_opened)
manages_survey = over_survey(Role.SURVEY_MANAGER, Role.ADMIN)


@rules.predicate
def is_counter_device(user: User) -> bool:
    return services.has_role(user, Role.COUNTER_DEVICE)


@rules.predicate
def leads_unit(user: User, unit: Unit | None) -> bool:
    return unit is not None and services.user_reaches(user, unit, roles=[Role.LEADER, Role.ADMIN])


@rules.predicate
def serves_unit(user: User, unit: Unit | None) -> bool:
    roles = [Role.LEADER, Role.FOCAL_POINT, Role.ADMIN]
    return unit is not None and services.user_reaches(user, unit, roles=roles)


@rules.predicate
def works_on_plan(user: User, plan: Any) -> bool:
    """A unit's improvement plan: its focal points, leaders and administrators (held at the unit
    or above it), for the page, its downloads and its changes alike."""
    return plan is not None and serves_unit(user, plan.unit)


@rules.predicate
def sees_job(user: User, job: Any) -> bool:
    """A background job and the file it produced: whoever may use the page that started it,
    asked as that page's permission (the job's kind names it) of the job's subject."""
    if job is None:
        return False
    from parindex.server.jobs.kinds import kind_of  # the kinds register when apps are ready

    return allows(user, kind_of(job.kind).permission, job.subject)


PERMISSIONS: dict[str, rules.Predicate] = {
    "accounts.view_unit": rules.is_authenticated & reaches_unit,
    "assessments.view_assessment": rules.is_authenticated & sees_assessment,
    "assessments.view_evidence": rules.is_authenticated & sees_evidence,
    "assessments.administer_cycle": administers_cycle,
    "assessments.preview_cycle": administers_cycle,
    "assessments.publish_cycle": administers_cycle,
    "assessments.view_council_table": reviews_cycle,
    "assessments.download_appraisal_table": reviews_cycle,
    "assessments.record_council_decision": council_over_cycle,
    "assessments.import_survey_points": survey_points_over_cycle,
    "surveys.list_surveys": holds_anywhere(Role.SURVEY_MANAGER, Role.ADMIN),
    "surveys.manage_survey": manages_survey,
    "jobs.view_job": sees_job,
    # Published results are public, and so are their reports (rendered once, shared).
    "results.view_report": rules.always_allow,
    "ratings.use_kiosk": rules.is_authenticated & is_counter_device,
    "ratings.import_dossiers": rules.is_authenticated & leads_unit,
    "ratings.view_dashboard": rules.is_authenticated & leads_unit,
    # Circular 01's unit-level indices (2, 5, 6, 8, 9): the unit's own staff record them.
    "ratings.record_unit_indices": rules.is_authenticated & serves_unit,
    "feedback.handle": rules.is_authenticated & serves_unit,
    "plans.view_improvementplan": rules.is_authenticated & works_on_plan,
    "plans.change_improvementplan": rules.is_authenticated & works_on_plan,
}

for _name, _predicate in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
