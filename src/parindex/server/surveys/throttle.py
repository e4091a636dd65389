"""Limits on guessing ballot codes on the web form.

A code that opens nothing is recorded (``CodeAttempt``). While a client address has had too
many such codes in the window, or the survey has (guessing spread over many addresses), the
form checks no code at all and asks to wait. Counts live in the database, so every worker
process of the site sees the same ones.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from parindex.server.surveys.models import CodeAttempt, Survey

WINDOW = timedelta(minutes=10)


def client_address(request: HttpRequest) -> str:
    """The respondent's address: behind a trusted TLS proxy, the one the proxy appended."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def blocked(survey: Survey, client: str) -> bool:
    """Whether code entry is paused for ``client`` on ``survey`` now."""
    since = timezone.now() - WINDOW
    recent = CodeAttempt.objects.filter(at__gte=since)
    if recent.filter(client=client).count() >= settings.WEBFORM_FAILURES_PER_CLIENT:
        return True
    return recent.filter(survey=survey).count() >= settings.WEBFORM_FAILURES_PER_SURVEY


def record_failure(survey: Survey, client: str) -> None:
    now = timezone.now()
    CodeAttempt.objects.filter(at__lt=now - WINDOW).delete()
    CodeAttempt.objects.create(survey=survey, client=client, at=now)
