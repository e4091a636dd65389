"""The counter kiosk: a standalone tablet page for a counter device account, and its worker."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from parindex.server.ratings import services


@login_required
def kiosk(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("ratings.use_kiosk"):
        raise PermissionDenied(_("The kiosk is for counter device accounts."))
    unit = services.device_unit(request.user)  # type: ignore[arg-type]
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
