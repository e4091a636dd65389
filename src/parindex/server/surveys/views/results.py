"""A survey's estimates for its managers: every domain's index, one domain's full table with
the change since the previous year, and the Excel download of every domain's table."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.methodology import load_shipped
from parindex.core.surveys.change import Change
from parindex.reports.survey_results import Wording, results_workbook
from parindex.server.surveys import changes, computed, estimates, fieldwork, labels
from parindex.server.surveys.models import Survey
from parindex.server.surveys.views.access import managed_survey


@dataclass(frozen=True)
class ShownRow:
    row: estimates.ResultRow
    name: str
    lonely: bool
    change: Change | None = None
    """From the previous year's survey, where it estimated the same domain and node."""


@login_required
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    """The index of every domain, and one domain's full table (a picker chooses it); the
    Excel download holds every domain's table."""
    survey = managed_survey(request, slug)
    names = _node_names(survey)
    found = computed.survey_results(survey)
    affected = found.affected
    compared = changes.year_on_year(survey)
    shown = [
        ShownRow(
            r, names.get(r.node, ""), r.domain in affected, compared.changes.get((r.domain, r.node))
        )
        for r in found.rows
        if r.node in names or r.node == "index"
    ]
    domains = sorted({s.row.domain for s in shown})
    progress = fieldwork.progress(survey)
    chosen = request.GET.get("domain", "")
    if chosen not in domains:
        chosen = domains[0] if domains else ""
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "summary": [s for s in shown if s.row.node == "index"],
            "rows": [s for s in shown if s.row.domain == chosen],
            "domains": domains,
            "chosen": chosen,
            "policy": labels.lonely_policy(found.policy),
            "lonely": found.lonely,
            "affected": sorted(affected),
            "points": any(s.row.points is not None for s in shown),
            "progress": progress,
            "counted_line": estimates.respondents_of(survey).counted(
                progress.counted, progress.sampled
            ),
            "previous": compared.previous,
        },
    )


def _node_names(survey: Survey) -> dict[str, str]:
    edition = load_shipped(survey.edition).value
    return edition.names(english=get_language() == "en") if edition is not None else {}


@login_required
def results_excel(request: HttpRequest, slug: str) -> HttpResponse:
    survey = managed_survey(request, slug)
    found = computed.survey_results(survey)
    note = _("Design-based estimates; 95 % confidence intervals (logit).")
    if found.affected:
        note += " " + _(
            "Where a stratum has a single cluster (%(policy)s), this decided the standard "
            "errors of: %(domains)s."
        ) % {
            "policy": labels.lonely_policy(found.policy),
            "domains": ", ".join(sorted(found.affected)),
        }
    wording = Wording(
        sheet=_("Results"),
        note=note,
        index=_("Index"),
        headers=(
            _("Domain"),
            _("Code"),
            _("Content"),
            _("Share satisfied (%)"),
            _("Standard error"),
            _("95 % lower bound"),
            _("95 % upper bound"),
            _("Responses"),
        ),
    )
    content = results_workbook(survey.name, found.rows, _node_names(survey), wording)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-results.xlsx"'
    return response
