"""What is published on this site, for the public home: each index, its year and its page.

Only published cycles are listed, and only with the link to their public table (the cycle's
working pages are for the people who run it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language

from parindex.core.methodology import load_shipped
from parindex.server.assessments.models import Cycle


@dataclass(frozen=True)
class Publication:
    index: str
    """The index's title in the reader's language (from the methodology edition)."""
    year: int
    name: str
    url: str
    synthetic: bool


@lru_cache(maxsize=64)
def _titles(edition_id: str) -> tuple[str, str]:
    try:
        edition = load_shipped(edition_id).value
    except KeyError:
        edition = None
    if edition is None:
        return edition_id, edition_id
    return edition.title_vi, edition.title_en or edition.title_vi


def publications() -> list[Publication]:
    """Every published cycle, newest year first."""
    english = get_language() == "en"
    return [
        Publication(
            index=_titles(cycle.edition)[1 if english else 0],
            year=cycle.year,
            name=cycle.name,
            url=reverse("assessment-published", args=[cycle.pk]),
            synthetic=cycle.synthetic,
        )
        for cycle in Cycle.objects.filter(published_at__isnull=False).order_by("-year", "name")
    ]


def provenance_json(request: HttpRequest, pk: int) -> JsonResponse:
    """A published table's provenance as recorded, for whoever wants to recompute it."""
    cycle = get_object_or_404(Cycle, pk=pk, published_at__isnull=False)
    return JsonResponse(
        cycle.provenance or {}, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
