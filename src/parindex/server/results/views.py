"""The public results pages (no sign-in) and the downloads of every published table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from parindex.server.accounts.models import Unit
from parindex.server.results import jobs
from parindex.server.results.models import Index, Publication, ResultRow
from parindex.server.results.services import boundaries, certainty, reorganisation, series, tables
from parindex.server.results.services.downloads import table_rows
from parindex.server.results.services.profile import unit_profile
from parindex.server.results.services.series import primary

CACHE_SECONDS = 600
NOT_FINAL = "X-Parindex-Pending"
"""Set on a page still waiting for a background computation: it is not cached."""


def _index(index: str) -> str:
    if index not in Index.values:
        raise Http404(index)
    return index


def results_home(request: HttpRequest) -> HttpResponse:
    return render(request, "results/home.html", {"indexes": series.published_indexes()})


def _cache_key(request: HttpRequest, *parts: object) -> str:
    """Published rows never change, so a page changes only when a publication is added: the
    newest publication's id is part of the key, with the language and the query."""
    newest = Publication.objects.aggregate(id=Max("id"), at=Max("published_at"))
    query = request.GET.urlencode()
    stamp = (newest["id"], newest["at"].timestamp() if newest["at"] else None)
    maps = ",".join(settings.PARINDEX_BOUNDARIES)  # the geographic map comes and goes with them
    return "results:" + ":".join(str(p) for p in (*parts, *stamp, get_language(), query, maps))


def cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:  # a signed-in reader may see links others do not
            return view(request, *args, **kwargs)
        key = _cache_key(request, view.__name__, *args, *kwargs.values())
        content = cache.get(key)
        if content is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or NOT_FINAL in response:
                return response
            cache.set(key, response.content, CACHE_SECONDS)
            return response
        return HttpResponse(content)

    return wrapper


@cached
def ranking(request: HttpRequest, index: str, year: int) -> HttpResponse:
    source = request.GET.get("source", "")
    page = tables.ranking_page(
        _index(index),
        year,
        int(source) if source.isdigit() else None,
        request.GET.get("colour", "group"),
    )
    if page is None:
        raise Http404(f"{index} {year}")
    certainty.with_intervals(page)
    merged = None
    can_merge = reorganisation.is_before_merger(page.publication)
    if request.GET.get("view") == "34" and can_merge:
        merged = reorganisation.merged_view(page.publication)
        page.specs.update(merged.specs)
    response = render(
        request, "results/ranking.html", {"page": page, "merged": merged, "can_merge": can_merge}
    )
    if page.certainty is not None and page.certainty.reason == "pending":
        response[NOT_FINAL] = "rank-intervals"  # the next visit should show them
    return response


@cached
def unit_page(request: HttpRequest, index: str, ref: str) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    profile = unit_profile(_index(index), ref, user)
    if profile is None:
        raise Http404(f"{index} {ref}")
    response = render(request, "results/unit.html", {"profile": profile})
    if profile.certainty is not None and profile.certainty.cycle.reason == "pending":
        response[NOT_FINAL] = "rank-intervals"  # the next visit should show them
    return response


def download(request: HttpRequest, index: str, year: int, fmt: str) -> HttpResponse:
    found = table_rows(_index(index), year)
    if found is None:
        raise Http404(f"{index} {year}")
    publication, rows = found
    name = f"{index}-{year}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            {"publication": publication, "rows": rows}, json_dumps_params={"ensure_ascii": False}
        )
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["unit"])
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Publication"] = json.dumps(publication["id"])
    return response


def boundary_file(request: HttpRequest, number: int) -> HttpResponse:
    """A province boundary file named in ``PARINDEX_BOUNDARIES``, with each feature's province
    ref added, for the geographic map. Read once per change of the file and kept in memory; the
    browser may keep it a day."""
    found = boundaries.load(number)
    if found is None:
        raise Http404(f"boundary file {number}")
    response = HttpResponse(found.body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _format(fmt: str) -> str:
    if fmt not in jobs.FORMATS:
        raise Http404(fmt)
    return fmt


def national_report(request: HttpRequest, index: str, year: int, fmt: str) -> HttpResponse:
    """The national report (PDF or Excel) is rendered in the background, once per publication,
    language and format: this finds or queues it and leads to the job's page. A GET, so that
    the public pages (cached whole for anonymous readers) need no form token; asking twice
    gives the same job."""
    publication = primary(_index(index), year)
    if publication is None:
        raise Http404(f"{index} {year}")
    job = jobs.national(publication, _format(fmt), get_language() or "vi")
    return redirect("job", pk=job.pk)


def unit_report(request: HttpRequest, index: str, ref: str, fmt: str) -> HttpResponse:
    """A unit's report card, like :func:`national_report`."""
    unit = Unit.objects.filter(ref=ref).first()
    if (
        unit is None
        or not ResultRow.objects.filter(
            publication__index=_index(index), unit=unit, node=""
        ).exists()
    ):
        raise Http404(f"{index} {ref}")
    job = jobs.card(index, unit, _format(fmt), get_language() or "vi")
    return redirect("job", pk=job.pk)
