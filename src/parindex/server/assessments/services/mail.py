"""E-mail to the people of an assessment, written in the site's language (Vietnamese) and sent
only once the step that caused it has committed: a refused or rolled-back step mails nobody."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.accounts.services import user_reaches
from parindex.server.assessments.models import Assessment, Cycle


def notify(recipients: list[str], subject: str, body: str) -> None:
    """Send after the surrounding transaction commits (at once when there is none)."""
    addresses = [a for a in recipients if a]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False
            )
        )


def people(assessment: Assessment, role: Role) -> list[str]:
    """The addresses of those who play ``role`` for this unit."""
    if role is Role.APPRAISER:
        return [u.email for u in assessment.appraisers.all()]
    users = User.objects.filter(role_assignments__role=role).distinct()
    return [u.email for u in users if user_reaches(u, assessment.unit, [role])]


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def submitted(assessment: Assessment) -> tuple[str, str]:
    """Subject and body telling appraisers that a unit submitted its self-assessment."""
    unit, cycle = assessment.unit.name_vi, assessment.cycle.name
    with translation.override(settings.LANGUAGE_CODE):
        return (
            _("[parindex] {unit} submitted its self-assessment").format(unit=unit),
            _("{unit} submitted its self-assessment for {cycle}.").format(unit=unit, cycle=cycle),
        )


def explanation_requested(assessment: Assessment) -> tuple[str, str]:
    unit = assessment.unit.name_vi
    with translation.override(settings.LANGUAGE_CODE):
        deadline = _when(assessment.cycle.explanation_deadline)
        return (
            _("[parindex] Explanation requested: {unit}").format(unit=unit),
            _("The appraisal council asks {unit} to explain by {deadline}.").format(
                unit=unit, deadline=deadline
            ),
        )


def reminder(assessment: Assessment, cycle: Cycle, kind: str) -> tuple[str, str]:
    """Subject and body of a reminder of the ``kind`` deadline (a ``Cycle`` field's prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        steps = {
            "self_assessment": _("submitting the self-assessment"),
            "explanation": _("the explanation"),
            "appraisal": _("the appraisal"),
        }
        deadline = _when(getattr(cycle, f"{kind}_deadline"))
        return (
            _("[parindex] Deadline reminder: {unit}").format(unit=assessment.unit.name_vi),
            _("{cycle}: the deadline for {step} is {deadline}.").format(
                cycle=cycle.name, step=steps[kind], deadline=deadline
            ),
        )
