"""E-mail to the people of an assessment, sent only once the step that caused it has committed:
a refused or rolled-back step mails nobody."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.accounts.services import user_reaches
from parindex.server.assessments.models import Assessment


def notify(recipients: list[str], subject: str, body: str) -> None:
    """Send after the surrounding transaction commits (at once when there is none)."""
    addresses = [a for a in recipients if a]
    if addresses:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False)


def people(assessment: Assessment, role: Role) -> list[str]:
    """The addresses of those who play ``role`` for this unit."""
    if role is Role.APPRAISER:
        return [u.email for u in assessment.appraisers.all()]
    users = User.objects.filter(role_assignments__role=role).distinct()
    return [u.email for u in users if user_reaches(u, assessment.unit, [role])]
