"""Open data under /api/v1: published results with their provenance, cycles, editions and units.
Everything here is public (published results are open data); every list is paginated.
(No ``from __future__ import annotations``: Ninja reads the annotations at run time.)"""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from parindex.core.methodology.shipped import load_shipped, shipped_edition_ids
from parindex.server.accounts.models import Unit
from parindex.server.api.errors import ErrorOut
from parindex.server.assessments.models import Cycle
from parindex.server.results.models import Publication, ResultRow
from parindex.server.surveys import computed
from parindex.server.surveys.models import Survey

router = Router(tags=["open data"])


PAGE_SIZE = 100


class PublicationOut(Schema):
    id: int
    index: str
    year: int
    title: str
    origin: str
    edition: str
    source: str
    published_at: datetime
    scale_max: float
    synthetic: bool
    current: bool
    corrects: int | None
    reason: str
    stated: dict[str, Any]
    provenance: dict[str, Any]

    @staticmethod
    def resolve_current(obj: Publication) -> bool:
        return obj.is_current

    @staticmethod
    def resolve_corrects(obj: Publication) -> int | None:
        return obj.corrects_id


class NodeOut(Schema):
    node: str
    level: str
    name_vi: str
    name_en: str
    max_points: float | None


class PublicationDetail(PublicationOut):
    nodes: list[NodeOut]

    @staticmethod
    def resolve_nodes(obj: Publication) -> list[Any]:
        return list(obj.nodes.all())


class ResultOut(Schema):
    publication: int
    index: str
    year: int
    unit: str
    unit_name: str
    node: str
    status: str
    points: float | None
    max_points: float | None
    pct: float | None
    rank: int | None
    ranked_of: int | None
    rank_label: str
    group: str
    peer_group: str
    change_pct: float | None
    source: str

    @staticmethod
    def resolve_publication(obj: ResultRow) -> int:
        return obj.publication_id

    @staticmethod
    def resolve_index(obj: ResultRow) -> str:
        return obj.publication.index

    @staticmethod
    def resolve_year(obj: ResultRow) -> int:
        return obj.publication.year

    @staticmethod
    def resolve_unit(obj: ResultRow) -> str:
        return obj.unit.ref

    @staticmethod
    def resolve_unit_name(obj: ResultRow) -> str:
        return obj.unit.name_vi


class ResultFilter(Schema):
    index: str | None = None
    year: int | None = None
    unit: str | None = None
    node: str | None = None
    current: bool = True


class CycleOut(Schema):
    id: int
    year: int
    name: str
    edition: str
    published_at: datetime | None
    synthetic: bool


class EditionOut(Schema):
    id: str
    title_vi: str
    title_en: str
    status: str
    first_year: int
    last_year: int | None
    total_points: float


class UnitOut(Schema):
    ref: str
    kind: str
    code: str
    name_vi: str
    name_en: str
    parent: str | None
    valid_from: date | None
    valid_to: date | None
    successors: list[str]

    @staticmethod
    def resolve_parent(obj: Unit) -> str | None:
        return obj.parent.ref if obj.parent is not None else None

    @staticmethod
    def resolve_successors(obj: Unit) -> list[str]:
        return [s.ref for s in obj.successors.all()]


class SurveyOut(Schema):
    slug: str
    name: str
    edition: str
    opens_at: datetime
    closes_at: datetime
    synthetic: bool


class EstimateOut(Schema):
    domain: str
    node: str
    estimate: float | None
    se: float | None
    low: float | None
    high: float | None
    n: int
    points: float | None


@router.get("/publications", response=list[PublicationOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def publications(
    request: Any, index: str | None = None, year: int | None = None
) -> QuerySet[Publication]:
    """Every publication (corrected ones too: ``current`` says which is in force)."""
    found = Publication.objects.select_related("correction").order_by("index", "year", "id")
    if index:
        found = found.filter(index=index)
    if year:
        found = found.filter(year=year)
    return found


@router.get(
    "/publications/{publication_id}",
    response={200: PublicationDetail, 404: ErrorOut},
)
def publication(request: Any, publication_id: int) -> Publication:
    return get_object_or_404(Publication, pk=publication_id)


@router.get("/results", response=list[ResultOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def results(request: Any, filters: Query[ResultFilter]) -> QuerySet[ResultRow]:
    """Published rows (unit × node) with the publication they belong to; ``node`` is empty for
    the index itself, a field's id for its component index."""
    found = ResultRow.objects.select_related("publication", "unit").order_by(
        "publication__index", "publication__year", "publication_id", "node", "rank", "unit__ref"
    )
    if filters.current:
        found = found.filter(publication__correction__isnull=True)
    if filters.index:
        found = found.filter(publication__index=filters.index)
    if filters.year:
        found = found.filter(publication__year=filters.year)
    if filters.unit:
        found = found.filter(unit__ref=filters.unit)
    if filters.node is not None:
        found = found.filter(node=filters.node)
    return found


@router.get("/cycles", response=list[CycleOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def cycles(request: Any) -> QuerySet[Cycle]:
    """Published assessment cycles (cycles in progress are not open data)."""
    return Cycle.objects.filter(published_at__isnull=False).order_by("year", "id")


@router.get("/editions", response=list[EditionOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def editions(request: Any) -> list[dict[str, Any]]:
    found = []
    for edition_id in shipped_edition_ids():
        edition = load_shipped(edition_id).value
        if edition is None:
            continue
        found.append(
            {
                "id": edition.id,
                "title_vi": edition.title_vi,
                "title_en": edition.title_en,
                "status": str(edition.status),
                "first_year": edition.valid_years.first,
                "last_year": edition.valid_years.last,
                "total_points": edition.total_points,
            }
        )
    return found


@router.get("/units", response=list[UnitOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def units(request: Any, kind: str | None = None, valid_on: date | None = None) -> QuerySet[Unit]:
    """Administrative units with their successors (the 2025 merger: 63 → 34 provinces)."""
    found = Unit.objects.select_related("parent").prefetch_related("successors").order_by("ref")
    if kind:
        found = found.filter(kind=kind)
    if valid_on:
        found = found.valid_on(valid_on)
    return found


def _closed_surveys() -> QuerySet[Survey]:
    # Estimates are open data once the survey has closed; while it runs they move every day.
    return Survey.objects.filter(closes_at__lte=timezone.now()).order_by("-closes_at", "slug")


@router.get("/surveys", response=list[SurveyOut])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def surveys(request: Any) -> QuerySet[Survey]:
    """Closed surveys, whose estimates are published."""
    return _closed_surveys()


@router.get("/surveys/{slug}/estimates", response={200: list[EstimateOut], 404: ErrorOut})
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def survey_estimates(request: Any, slug: str, domain: str | None = None) -> list[Any]:
    """Design-based estimates (%) by domain and node with standard errors and 95 % intervals
    (logit), n, and the points a PAR survey component gives; a domain without a response has
    n = 0 and no estimate."""
    survey = get_object_or_404(_closed_surveys(), slug=slug)
    rows = computed.survey_results(survey).rows
    return [r for r in rows if domain is None or r.domain == domain]
