"""The preview of the table as it would be published, publication itself, the published table
(public) and survey points brought in from a file (read by a background job)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.scoring.why import Shortfall
from parindex.core.tabular import TableError
from parindex.server.assessments import jobs, services
from parindex.server.assessments.models import Cycle
from parindex.server.assessments.services import AssessmentError, PreviewRow
from parindex.server.assessments.services.certainty import cycle_certainty
from parindex.server.assessments.services.intervals import CycleCertainty, UnitInterval
from parindex.server.assessments.views.page import (
    cycle_or_404,
    localised,
    render_page,
    require,
)
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.jobs.kinds import JobRefused


@dataclass(frozen=True)
class PreviewLine:
    row: PreviewRow
    peer_group: str
    """The name of the group it is ranked in, when the edition ranks groups apart."""
    lost: list[tuple[str, Shortfall]]
    interval: UnitInterval | None = None


@dataclass(frozen=True)
class PreviewPage:
    cycle: Cycle
    rows: list[PreviewLine]
    provisional: list[PreviewLine]
    ranked_apart: bool
    before: Cycle | None
    unfinished: int
    certainty: CycleCertainty


@login_required
def preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    require(request, "assessments.preview_cycle", cycle)
    edition = services.edition_of(cycle)
    names = edition.names(english=get_language() == "en")
    try:
        rows = services.preview(cycle)
    except services.AssessmentError as error:
        messages.error(request, services.refusal(error))
        return redirect("assessment-cycle", pk=pk)
    groups = {g.id: localised(g.name_vi, g.name_en) for g in edition.peer_groups}
    certainty = cycle_certainty(cycle)
    lines = [
        PreviewLine(
            row,
            groups.get(row.result.peer_group, ""),
            [(names.get(s.node, s.node), s) for s in row.why.shortfalls[:3]],
            certainty.units.get(row.result.unit),
        )
        for row in rows
    ]
    page = PreviewPage(
        cycle,
        [line for line in lines if not line.row.provisional],
        [line for line in lines if line.row.provisional],
        len(groups) > 1,
        services.previous_cycle(cycle),
        len([line for line in lines if line.row.provisional]),
        certainty,
    )
    return render_page(request, "assessments/preview.html", page)


@login_required
@require_POST
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    require(request, "assessments.publish_cycle", cycle)
    try:
        services.publish(cycle, request.user)
    except services.AssessmentError as error:
        messages.error(request, services.refusal(error))
        return redirect("assessment-preview", pk=pk)
    messages.success(request, _("Published. The table is frozen with its provenance."))
    return redirect("assessment-published", pk=pk)


@dataclass(frozen=True)
class PublishedPage:
    cycle: Cycle
    rows: list[dict[str, Any]]
    fields: list[tuple[str, str]]
    provenance: dict[str, Any]
    ranked_apart: bool


def published(request: HttpRequest, pk: int) -> HttpResponse:
    """The published table: public, frozen as it was published."""
    cycle = cycle_or_404(pk)
    if cycle.published_at is None or not cycle.published_table:
        raise Http404
    edition = services.edition_of(cycle)
    field_ids = [f.id for f in edition.fields]
    groups = {g.id: localised(g.name_vi, g.name_en) for g in edition.peer_groups}
    order = list(groups)
    table = [
        {
            **row,
            "field_values": [(row.get("field_pct") or {}).get(f) for f in field_ids],
            "peer_group_name": groups.get(row.get("peer_group", ""), ""),
        }
        for row in sorted(
            cycle.published_table,
            key=lambda r: (
                order.index(r["peer_group"]) if r.get("peer_group") in order else 0,
                r.get("rank") is None,
                r.get("rank") or 0,
            ),
        )
    ]
    page = PublishedPage(
        cycle,
        table,
        [(f.id, localised(f.name_vi, f.name_en)) for f in edition.fields],
        cycle.provenance or {},
        len(groups) > 1,
    )
    return render_page(request, "assessments/published.html", page)


@dataclass(frozen=True)
class SurveyPointsPage:
    cycle: Cycle
    onestop: list[str]
    """The components computed from one-stop data (a button takes their points)."""


@login_required
def survey_points(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    require(request, "assessments.import_survey_points", cycle)
    if request.method == "POST" and request.POST.get("source") == "onestop":
        try:
            stored = services.import_onestop_points(cycle, request.user)
        except AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d point taken from one-stop data.",
                    "%(count)d points taken from one-stop data.",
                    stored,
                )
                % {"count": stored},
            )
            return redirect("assessment-survey", pk=cycle.pk)
    elif request.method == "POST":
        upload = request.FILES.get("points")
        if upload is None:
            messages.error(request, _("Choose a CSV or Excel file."))
        else:
            try:
                job = jobs.start_survey_points(cycle, request.user, upload)
            except (JobRefused, TableError) as error:
                messages.error(request, str(error))
            else:
                return redirect("job", pk=job.pk)
    page = SurveyPointsPage(cycle, services.onestop_components(cycle))
    return render_page(request, "assessments/survey_points.html", page)
