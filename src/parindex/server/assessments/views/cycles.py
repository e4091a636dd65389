"""The cycle pages: the list of cycles, one cycle's progress and the council's table."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from parindex.server.assessments import services
from parindex.server.assessments.labels import state_label
from parindex.server.assessments.models import Assessment, CouncilNote, Cycle
from parindex.server.assessments.services import administration
from parindex.server.assessments.views.page import cycle_or_404, localised, render_page, require
from parindex.server.authenticated import AuthenticatedRequest


@dataclass(frozen=True)
class CycleListPage:
    cycles: list[tuple[Cycle, list[tuple[Assessment, str]]]]
    can_create: bool


@login_required
def cycle_list(request: AuthenticatedRequest) -> HttpResponse:
    cycles = [
        (cycle, [(a, state_label(a.state)) for a in visible])
        for cycle, visible in services.cycles_for(request.user)
    ]
    can_create = bool(administration.organisers_for(request.user))
    return render_page(request, "assessments/cycle_list.html", CycleListPage(cycles, can_create))


@dataclass(frozen=True)
class CycleRow:
    assessment: Assessment
    state: str
    self: float
    standing: float
    max: float
    appraisers: str


@dataclass(frozen=True)
class CyclePage:
    cycle: Cycle
    rows: list[CycleRow]
    progress: list[tuple[str, int]]
    is_admin: bool
    is_council: bool
    imports_survey: bool
    edition_title: str
    """The methodology edition by its title (its id, a code, is shown beside it)."""


@login_required
def cycle_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    user = request.user
    rows = [
        CycleRow(
            row.assessment,
            state_label(row.assessment.state),
            row.totals.self_points,
            row.totals.standing_points,
            row.totals.max_points,
            row.appraisers,
        )
        for row in services.cycle_rows(user, cycle)
    ]
    is_admin = services.manages(user, cycle)
    if not rows and not is_admin:
        raise PermissionDenied(_("No assessment of this cycle is open to you."))
    page = CyclePage(
        cycle,
        rows,
        [(state_label(s), n) for s, n in services.progress(cycle).items()],
        is_admin,
        services.may(user, "assessments.view_council_table", cycle),
        services.may(user, "assessments.import_survey_points", cycle),
        localised(*_edition_titles(cycle)),
    )
    return render_page(request, "assessments/cycle_detail.html", page)


def _edition_titles(cycle: Cycle) -> tuple[str, str]:
    edition = services.edition_of(cycle)
    return edition.title_vi, edition.title_en


@dataclass(frozen=True)
class CouncilRow:
    assessment: Assessment
    state: str
    visible: bool = False
    fields: tuple[float, ...] = ()
    self: float = 0.0
    total: float = 0.0
    can_finalise: bool = False


@dataclass(frozen=True)
class CouncilPage:
    cycle: Cycle
    field_ids: list[str]
    rows: list[CouncilRow]
    notes: list[CouncilNote]
    is_council: bool


def _council_row(row: services.CouncilRow) -> CouncilRow:
    state = state_label(row.assessment.state)
    if row.totals is None:
        # A unit's draft is its own: the council sees only that it is not submitted yet.
        return CouncilRow(row.assessment, state)
    return CouncilRow(
        row.assessment,
        state,
        True,
        tuple(t.standing_points for t in row.totals.fields),
        row.totals.self_points,
        row.totals.standing_points,
        row.can_finalise,
    )


@login_required
def council_table(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    require(request, "assessments.view_council_table", cycle)
    if request.method == "POST":
        try:
            services.note_decision(cycle, request.user, request.POST.get("text", ""))
        except services.AssessmentError as error:
            messages.error(request, services.refusal(error))
        return redirect("assessment-council", pk=pk)
    page = CouncilPage(
        cycle,
        [f.id for f in services.edition_of(cycle).fields],
        [_council_row(row) for row in services.council_rows(request.user, cycle)],
        list(cycle.council_notes.select_related("by").order_by("-at")),
        services.may(request.user, "assessments.record_council_decision", cycle),
    )
    return render_page(request, "assessments/council.html", page)
