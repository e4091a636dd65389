"""Survey managers' pages: thin views over ``services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from parindex.core.methodology import load_shipped
from parindex.core.roles import Role
from parindex.server.accounts.services import has_role
from parindex.server.surveys import services
from parindex.server.surveys.models import Survey


def _manager(request: HttpRequest) -> None:
    if not (has_role(request.user, Role.SURVEY_MANAGER) or has_role(request.user, Role.ADMIN)):
        raise PermissionDenied("survey managers only")


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return render(request, "surveys/list.html", {"surveys": services.overview()})


@login_required
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    _manager(request)
    survey = get_object_or_404(Survey, slug=slug)
    edition = load_shipped(survey.edition).value
    names = {}
    if edition is not None:
        for field in edition.fields:
            names[field.id] = field.name_vi
            for criterion in field.criteria:
                names[criterion.id] = criterion.name_vi
    rows = [r for r in services.cached_results(survey) if r.node in names or r.node == "index"]
    return render(
        request,
        "surveys/results.html",
        {"survey": survey, "rows": rows, "names": names, "progress": services.progress(survey)},
    )
