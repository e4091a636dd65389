"""The counter kiosk (a standalone tablet page for a counter device account, and its worker) and
the online rating page a receipt's link or QR code opens without a login."""

from __future__ import annotations

import uuid
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.onestop import Period
from parindex.core.tabular import TableError
from parindex.server.accounts.models import Unit
from parindex.server.accounts.permissions import allows
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.jobs.kinds import JobRefused
from parindex.server.ratings import dashboard, jobs, services
from parindex.server.ratings.models import Channel


@login_required
def kiosk(request: AuthenticatedRequest) -> HttpResponse:
    if not allows(request.user, "ratings.use_kiosk"):
        raise PermissionDenied(_("The kiosk is for counter device accounts."))
    unit = services.device_unit(request.user)
    return render(
        request,
        "ratings/kiosk.html",
        {
            "unit": unit,
            "counter": request.user.get_username(),
            "idle_seconds": services.KIOSK_IDLE_SECONDS,
        },
    )


def kiosk_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under the kiosk's path so that its scope covers the page."""
    path = finders.find("ratings/kiosk-sw.js")
    assert isinstance(path, str)
    with open(path, encoding="utf-8") as source:
        response = HttpResponse(source.read(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


QUESTIONS = ("index1", "index3", "index4", "index7")


def questions(values: dict[str, str]) -> list[tuple[str, str, list[tuple[str, str, bool]]]]:
    """The kiosk's questions for the online form, each option marked when it was chosen."""
    asked = [
        ("index1", _("Total processing time compared with the prescribed time"),
         [_("Shorter than prescribed"), _("As prescribed"), _("Longer than prescribed")]),
        ("index3", _("Times you had to contact the counter to complete the dossier"),
         [_("None"), _("Once"), _("More than once")]),
        ("index4", _("Agencies you had to contact"),
         [_("Did not have to contact any"), _("Only the one-stop counter"), _("More than one")]),
        ("index7", _("The officer's attitude"),
         [_("Courteous, no complaint"), _("Acceptable"), _("Harassing or troublesome")]),
        ("satisfaction", _("Overall, how satisfied are you?"),
         [_("Very satisfied"), _("Satisfied"), _("Neutral"), _("Dissatisfied"), _("Very dissatisfied")]),
    ]  # fmt: skip
    return [
        (
            name,
            legend,
            [
                (str(top - k), label, values.get(name) == str(top - k))
                for k, label in enumerate(labels)
            ],
        )
        for name, legend, labels in asked
        for top in [len(labels) - 1 if name != "satisfaction" else 5]
    ]


def _answer(values: dict[str, str], name: str) -> int | None:
    """A question's answer (1–5), ``None`` when left blank; ``ValueError`` when not a number."""
    return int(values[name]) if values[name] else None


def online_rating(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the form, with a fresh client id; POST: store it (a resent form is stored once)."""
    dossier = services.dossier_for_token(token)
    if dossier is None:
        raise Http404(_("This rating link is not valid or has expired."))
    context: dict[str, Any] = {"dossier": dossier, "token": token, "errors": [], "values": {}}
    if request.method == "POST":
        values = {
            name: request.POST.get(name, "")
            for name in (*QUESTIONS, "satisfaction", "comment", "client_id")
        }
        context["values"] = values
        try:
            item = services.RatingInput(
                client_id=uuid.UUID(values["client_id"]),
                satisfaction=int(values["satisfaction"]),
                submitted_at=timezone.now(),
                dossier_code=dossier.code,
                comment=values["comment"][:2000],
                index1=_answer(values, "index1"),
                index3=_answer(values, "index3"),
                index4=_answer(values, "index4"),
                index7=_answer(values, "index7"),
            )
        except ValueError:
            context["errors"] = [_("Please choose how satisfied you are.")]
        else:
            (result,) = services.ingest([item], dossier.unit, Channel.ONLINE)
            if result.outcome != "rejected":
                return render(request, "ratings/online_thanks.html", context)
            if services.online_rating_taken(dossier):
                return render(request, "ratings/online_thanks.html", {**context, "already": True})
            context["errors"] = [_("Please check your answers.")]
    elif services.online_rating_taken(dossier):
        return render(request, "ratings/online_thanks.html", {**context, "already": True})
    context["client_id"] = context["values"].get("client_id") or str(uuid.uuid4())
    context["questions"] = questions(context["values"])
    return render(request, "ratings/online.html", context, status=422 if context["errors"] else 200)


def online_rating_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt's QR code (SVG) for the rating link."""
    if services.dossier_for_token(token) is None:
        raise Http404(_("This rating link is not valid or has expired."))
    url = request.build_absolute_uri(reverse("online-rating", args=[token]))
    return HttpResponse(
        segno.make(url, error="m").svg_inline(border=2, scale=4), content_type="image/svg+xml"
    )


def _led_unit(request: AuthenticatedRequest, ref: str, perm: str) -> Unit:
    unit = get_object_or_404(Unit, ref=ref)
    if not allows(request.user, perm, unit):
        raise PermissionDenied(_("This unit is not open to you."))
    return unit


def _trend_spec(board: dashboard.Dashboard) -> dict[str, Any]:
    """The trend chart with its months as people write them ("11/2026", not "2026-11")."""
    months = [
        {**point, "month": "{1}/{0}".format(*str(point["month"]).split("-"))}
        for point in board.trend
    ]
    return dashboard.trend_spec(
        months,
        _("Mean satisfaction by month"),
        _("Month"),
        _("Mean satisfaction (1–5)"),
        _("Ratings"),
    )


@login_required
def leader_dashboard(request: AuthenticatedRequest, ref: str) -> HttpResponse:
    unit = _led_unit(request, ref, "ratings.view_dashboard")
    board = dashboard.dashboard(unit)
    spec = _trend_spec(board)
    today = timezone.localdate()
    try:
        period = Period.parse(request.GET.get("ky", f"{today.year}-Q{(today.month - 1) // 3 + 1}"))
    except ValueError:
        raise Http404(_("Unknown period.")) from None
    context = {
        "board": board,
        "spec": spec,
        "indicators": dashboard.indicators(unit, period, english=get_language() == "en"),
    }
    return render(request, "ratings/dashboard.html", context)


@login_required
@require_POST
def import_dossiers(request: AuthenticatedRequest, ref: str) -> HttpResponse:
    """The dossier file is read by a background job: this stages it and leads to the job's
    page; a file refused by its size or its zip alone goes back to the dashboard at once."""
    unit = _led_unit(request, ref, "ratings.import_dossiers")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or Excel file of at most 20 MB."))
        return redirect("leader-dashboard", ref=ref)
    try:
        job = jobs.start_dossiers(unit, request.user, upload)
    except (JobRefused, TableError) as error:
        messages.error(request, str(error))
        return redirect("leader-dashboard", ref=ref)
    return redirect("job", pk=job.pk)
