"""The surveys a manager runs and one survey's collection: progress, coverage by domain,
data-quality flags and what was kept aside."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from parindex.server.accounts.permissions import allows
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.jobs.models import Job
from parindex.server.surveys import computed, estimates, fieldwork, labels
from parindex.server.surveys.views.access import managed_survey, manager_only

UNDER_COVERED_BELOW = 70.0
"""Response rate (%) under which a domain is marked under-covered (SIPAS plans for ≥ 70 %)."""


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    manager_only(request)
    surveys = [
        (survey, progress)
        for survey, progress in fieldwork.overview()
        if allows(request.user, "surveys.manage_survey", survey)
    ]
    return render(request, "surveys/list.html", {"surveys": surveys})


@login_required
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = managed_survey(request, slug)
    quality = computed.survey_quality(survey)
    words = estimates.respondents_of(survey)
    progress = fieldwork.progress(survey)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "progress": progress,
            "counted_line": words.counted(progress.counted, progress.sampled),
            "identical_line": words.identical(),
            "coverage": quality.coverage,
            "threshold": UNDER_COVERED_BELOW,
            "flag_counts": quality.counts,
            "flagged": [
                FlaggedRow(
                    row.code,
                    row.domain,
                    labels.channel_label(row.channel),
                    ", ".join(labels.flag_label(f, words) for f in sorted(row.flags)),
                )
                for row in quality.flagged
            ],
            "total_flagged": quality.total_flagged,
            "domains": [row.domain for row in sorted(quality.coverage, key=lambda r: r.domain)],
            "kept_aside": [
                KeptAsideRow(
                    row.code,
                    labels.verdict_label(row.verdict),
                    labels.reason_text(row.verdict, row.code, row.received_at) or row.reason,
                    labels.channel_label(row.channel),
                )
                for row in survey.set_aside.order_by("-received_at")[:50]
            ],
        },
    )


@dataclass(frozen=True)
class FlaggedRow:
    code: str
    domain: str
    channel: str
    flags: str


@dataclass(frozen=True)
class KeptAsideRow:
    code: str
    verdict: str
    reason: str
    channel: str


@login_required
def job_progress(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The address of a draw's or an import's page before jobs had their own: it leads there."""
    survey = managed_survey(request, slug)
    job = get_object_or_404(Job, pk=pk, subject_id=survey.pk, kind__startswith="survey-")
    return redirect("job", pk=job.pk)
