"""How an assessments page is rendered: from one typed context (a frozen dataclass per page,
as Datasette does), whose fields are the template's names."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.server.accounts.permissions import allows
from parindex.server.assessments import services
from parindex.server.assessments.models import Assessment, Cycle
from parindex.server.authenticated import AuthenticatedRequest


def render_page(
    request: HttpRequest, template: str, context: Any, status: int = 200
) -> HttpResponse:
    """Render ``context`` (a dataclass) with its fields as the template's variables."""
    names = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    return render(request, template, names, status=status)


def localised(vi: str, en: str) -> str:
    """A node's or unit's name in the reader's language."""
    return en if get_language() == "en" and en else vi


def cycle_or_404(pk: int) -> Cycle:
    return get_object_or_404(Cycle, pk=pk)


def assessment_or_403(request: AuthenticatedRequest, cycle_pk: int, ref: str) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle", "unit"), cycle_id=cycle_pk, unit__ref=ref
    )
    if not services.can_view(request.user, assessment):
        raise PermissionDenied(_("This assessment is not open to you."))
    return assessment


def require(request: AuthenticatedRequest, permission: str, cycle: Cycle) -> None:
    """A cycle-wide page or download: the rule ``permission`` (``accounts.permissions``)."""
    if not allows(request.user, permission, cycle):
        raise PermissionDenied(_("Administrators only."))
