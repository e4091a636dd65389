"""Deadline reminders: whoever still has to act before a near deadline is e-mailed once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from parindex.core.assessment.workflow import State
from parindex.core.roles import Role
from parindex.server.assessments.models import Cycle, DeadlineReminder
from parindex.server.assessments.services.mail import notify, people, reminder

REMINDER_DAYS = (7, 1)
"""Reminders go out this many days before each deadline (once each)."""
WAITING = {
    "self_assessment": ((State.DRAFT, State.APPROVED), (Role.FOCAL_POINT, Role.LEADER)),
    "explanation": ((State.EXPLAINING,), (Role.FOCAL_POINT, Role.LEADER)),
    "appraisal": ((State.SUBMITTED, State.APPRAISED_1, State.EXPLAINED), (Role.APPRAISER,)),
}
"""Per deadline: the states in which a unit is still waiting on someone, and who that is."""


def send_reminders(now: datetime | None = None) -> int:
    """E-mail whoever still has to act before a deadline that is near: focal points and leaders
    of unsubmitted self-assessments and of unanswered explanations, appraisers of units waiting
    for them. Each reminder goes once (recorded); run it daily. Returns the e-mails sent."""
    now = now or timezone.now()
    sent = 0
    for cycle in Cycle.objects.filter(is_open=True, published_at__isnull=True):
        for kind, (states, roles) in WAITING.items():
            deadline = getattr(cycle, f"{kind}_deadline")
            due = [d for d in REMINDER_DAYS if deadline - timedelta(days=d) <= now < deadline]
            if not due:
                continue
            for assessment in cycle.assessments.filter(state__in=states).select_related("unit"):
                done = set(
                    assessment.reminders.filter(kind=kind).values_list("days_before", flat=True)
                )
                if set(due) <= done:
                    continue
                recipients = [a for role in roles for a in people(assessment, role)]
                with transaction.atomic():  # the mail goes once its record is kept
                    DeadlineReminder.objects.bulk_create(
                        [
                            DeadlineReminder(assessment=assessment, kind=kind, days_before=d)
                            for d in due
                            if d not in done
                        ]
                    )
                    notify(recipients, *reminder(assessment, cycle, kind))
                sent += bool([r for r in recipients if r])
    return sent
