"""What the workflow's states and steps are called on the pages, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from parindex.core.assessment.workflow import Action, State


def state_label(state: str) -> str:
    labels = {
        State.DRAFT: _("draft"),
        State.APPROVED: _("approved by the leader"),
        State.SUBMITTED: _("submitted"),
        State.APPRAISED_1: _("appraised (round 1)"),
        State.EXPLAINING: _("explanation requested"),
        State.EXPLAINED: _("explained"),
        State.APPRAISED_2: _("appraised (round 2)"),
        State.FINAL: _("final"),
    }
    return str(labels.get(State(state), state))


def action_label(action: Action) -> str:
    labels = {
        Action.APPROVE: _("Approve the self-assessment"),
        Action.RETURN: _("Return to the focal point"),
        Action.SUBMIT: _("Submit to the appraisal council"),
        Action.APPRAISE_1: _("Close appraisal round 1"),
        Action.REQUEST_EXPLANATION: _("Send the explanation requests"),
        Action.EXPLAIN: _("Send the explanations"),
        Action.APPRAISE_2: _("Close appraisal round 2"),
        Action.FINALISE: _("Finalise"),
        Action.REOPEN: _("Reopen for the unit (reason required)"),
    }
    return str(labels[action])
