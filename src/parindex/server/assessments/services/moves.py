"""Moves through the workflow: the pure rule (``core.assessment.workflow.move``) decides, this
module checks what needs the database (the cycle open, evidence present), records the move and
tells the people concerned once it has committed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.assessment import workflow
from parindex.core.assessment.workflow import Action, State, WorkflowError, move
from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.assessments.models import Assessment, Cycle, StateChange
from parindex.server.assessments.services import mail
from parindex.server.assessments.services.cycle import AssessmentError, deadlines, require_open
from parindex.server.assessments.services.evidence import missing_evidence
from parindex.server.assessments.services.mail import notify, people
from parindex.server.assessments.services.visibility import roles_for
from parindex.server.audit import events as audit_events


@transaction.atomic
def transition(assessment: Assessment, user: User, action: Action, reason: str = "") -> State:
    """Make ``action`` happen, or raise ``WorkflowError``/``AssessmentError`` saying why not."""
    given, assessment = assessment, Assessment.objects.select_for_update().get(pk=assessment.pk)
    require_open(assessment)
    if action is Action.SUBMIT and (missing := missing_evidence(assessment)):
        raise AssessmentError(
            _("evidence or an explanation of its absence is needed for: {ids}").format(
                ids=", ".join(missing)
            )
        )
    source = State(assessment.state)
    target = move(
        source,
        action,
        roles_for(user, assessment),
        timezone.now(),
        deadlines(assessment.cycle),
        reason,
    )
    assessment.state = given.state = target
    assessment.save(update_fields=["state"])
    audit_events.move(
        StateChange.objects.create(
            assessment=assessment,
            action=action,
            source=source,
            target=target,
            reason=reason,
            by=user,
        )
    )
    if action is Action.SUBMIT:
        notify(people(assessment, Role.APPRAISER), *mail.submitted(assessment))
    elif action is Action.REQUEST_EXPLANATION:
        recipients = people(assessment, Role.FOCAL_POINT) + people(assessment, Role.LEADER)
        notify(recipients, *mail.explanation_requested(assessment))
    return target


def allowed_actions(assessment: Assessment, user: User) -> list[Action]:
    """The workflow steps ``user`` may take now (checks that need the step's input, such as a
    reopening's reason or missing evidence, are made when the step is taken)."""
    return workflow.allowed_actions(
        State(assessment.state),
        roles_for(user, assessment),
        timezone.now(),
        deadlines(assessment.cycle),
    )


def progress(cycle: Cycle) -> dict[str, int]:
    counts: dict[str, int] = {state.value: 0 for state in State}
    for state in cycle.assessments.values_list("state", flat=True):
        counts[state] += 1
    return counts


WORKFLOW_REFUSALS = {
    "role": gettext_lazy("your role does not allow this step"),
    "state": gettext_lazy("this step is not possible in the assessment's present state"),
    "self_deadline": gettext_lazy(
        "the self-assessment deadline has passed; an administrator can reopen it"
    ),
    "explanation_deadline": gettext_lazy("the explanation deadline has passed"),
    "reopen_reason": gettext_lazy("reopening needs a reason"),
    "appraisal_deadline": gettext_lazy(
        "the appraisal deadline has passed; an administrator can extend it"
    ),
}


def refusal(error: Exception) -> str:
    """What to tell the user about a refused step, in their language."""
    if isinstance(error, WorkflowError):
        return str(WORKFLOW_REFUSALS.get(error.code, error))
    return str(error)
