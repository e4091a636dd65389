"""Who reaches the survey managers' pages: survey managers and administrators, a survey's
pages only where their role reaches the survey's unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from parindex.server.accounts.permissions import allows
from parindex.server.surveys.models import Survey


def manager_only(request: HttpRequest) -> None:
    if not allows(request.user, "surveys.list_surveys"):
        raise PermissionDenied("survey managers only")


def managed_survey(request: HttpRequest, slug: str) -> Survey:
    """A survey the user manages: its managers and administrators, reaching the survey's unit
    (a national survey: held nationally). Pages and downloads alike."""
    manager_only(request)
    survey = get_object_or_404(Survey, slug=slug)
    if not allows(request.user, "surveys.manage_survey", survey):
        raise PermissionDenied("survey outside the user's scope")
    return survey
