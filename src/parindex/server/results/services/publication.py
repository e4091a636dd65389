"""Writing a published table as rows: from a cycle's score table when it is published, from the
frozen JSON of cycles published before results were rows, and corrections of either.

A publication is written whole in one transaction or not at all; its rows never change (see
``models``). A correction is a new publication naming the one it corrects and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.errors import ParindexError
from parindex.core.methodology.shipped import load_shipped
from parindex.core.scoring import ScoreTable
from parindex.server.accounts.models import Unit
from parindex.server.results.models import (
    Index,
    Origin,
    Publication,
    PublishedNode,
    ResultRow,
    Status,
)

if TYPE_CHECKING:
    from parindex.server.assessments.models import Cycle


class PublicationError(ParindexError):
    """A publication that cannot be written as asked (the message says why)."""


@dataclass(frozen=True)
class NodeData:
    node: str
    name_vi: str
    name_en: str = ""
    level: str = "field"
    max_points: float | None = None


@dataclass(frozen=True)
class RowData:
    unit: str
    """The unit's ref."""
    node: str = ""
    status: str = Status.PUBLISHED
    points: float | None = None
    max_points: float | None = None
    pct: float | None = None
    rank: int | None = None
    ranked_of: int | None = None
    group: str = ""
    peer_group: str = ""
    change_pct: float | None = None
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class TableData:
    """A whole table to publish; written by :func:`write_publication`."""

    index: str
    year: int
    origin: str
    title: str
    rows: Sequence[RowData]
    nodes: Sequence[NodeData] = ()
    edition: str = ""
    source: str = ""
    scale_max: float = 100.0
    unit_of_score: str = "%"
    provenance: Mapping[str, Any] = field(default_factory=dict)
    stated: Mapping[str, Any] = field(default_factory=dict)
    synthetic: bool = False


def index_of_edition(edition_id: str) -> str:
    family = edition_id.split("/", 1)[0]
    return family if family in Index.values else Index.PAR_INDEX_PROVINCE.value


def edition_nodes(edition_id: str) -> list[NodeData]:
    """The index and its fields, named as the edition names them (ids when it is not shipped)."""
    try:
        edition = load_shipped(edition_id).value
    except KeyError:
        edition = None
    if edition is None:
        return [NodeData("", edition_id, edition_id, level="index")]
    nodes = [NodeData("", edition.title_vi, edition.title_en, "index", edition.total_points)]
    nodes += [NodeData(f.id, f.name_vi, f.name_en, "field", f.max_points) for f in edition.fields]
    return nodes


def rows_from_frozen(frozen: Iterable[Mapping[str, Any]]) -> list[RowData]:
    """Rows from a cycle's frozen table (``asdict(UnitResult)`` plus ``name_vi``), as cycles
    were published before results were rows: index rows and one row per field %."""
    rows = []
    for item in frozen:
        ref = str(item["unit"])
        pct = item.get("index_pct")
        rows.append(
            RowData(
                unit=ref,
                points=item.get("points"),
                max_points=item.get("max_points"),
                pct=pct,
                rank=item.get("rank"),
                ranked_of=item.get("ranked_of") if item.get("rank") is not None else None,
                group=item.get("group") or "",
                peer_group=item.get("peer_group") or "",
                status=Status.PUBLISHED if pct is not None else Status.NOT_ASSESSED,
            )
        )
        field_rank = item.get("field_rank") or {}
        for node, value in (item.get("field_pct") or {}).items():
            rank = field_rank.get(node)
            rows.append(
                RowData(
                    unit=ref,
                    node=node,
                    pct=value,
                    rank=rank,
                    ranked_of=item.get("ranked_of") if rank is not None else None,
                    peer_group=item.get("peer_group") or "",
                    status=Status.PUBLISHED if value is not None else Status.NOT_ASSESSED,
                )
            )
    return rows


def rows_from_table(table: ScoreTable) -> list[RowData]:
    """Index and field rows of a score table, with the fields' points and maxima (which the
    frozen JSON never kept)."""
    sums = table.aggregates
    rows = rows_from_frozen(asdict(result) for result in table.results)
    extra = {}
    for i, unit in enumerate(table.units):
        for j, node in enumerate(table.field_ids):
            extra[unit, node] = (
                round(float(sums.field_points[i, j]), 2),
                round(float(sums.field_max[i, j]), 2),
            )
    return [
        row
        if not row.node
        else RowData(
            **{
                **asdict(row),
                "points": extra[row.unit, row.node][0],
                "max_points": extra[row.unit, row.node][1],
            }
        )
        for row in rows
    ]


@transaction.atomic
def write_publication(
    data: TableData,
    *,
    cycle: Cycle | None = None,
    corrects: Publication | None = None,
    reason: str = "",
    published_at: datetime | None = None,
) -> Publication:
    refs = {row.unit for row in data.rows}
    units = {u.ref: u for u in Unit.objects.filter(ref__in=refs)}
    missing = sorted(refs - units.keys())
    if missing:
        raise PublicationError(_("unknown units: {refs}").format(refs=", ".join(missing[:5])))
    publication = Publication.objects.create(
        index=data.index,
        year=data.year,
        origin=data.origin,
        cycle=cycle,
        edition=data.edition,
        title=data.title,
        source=data.source,
        scale_max=data.scale_max,
        unit_of_score=data.unit_of_score,
        provenance=dict(data.provenance),
        stated=dict(data.stated),
        published_at=published_at or timezone.now(),
        corrects=corrects,
        reason=reason,
        synthetic=data.synthetic,
    )
    PublishedNode.objects.bulk_create(
        PublishedNode(publication=publication, position=k, **asdict(node))
        for k, node in enumerate(data.nodes)
    )
    ResultRow.objects.bulk_create(
        ResultRow(publication=publication, **{**asdict(row), "unit": units[row.unit]})
        for row in data.rows
    )
    return publication


def _cycle_table(cycle: Cycle, rows: Sequence[RowData], provenance: Mapping[str, Any]) -> TableData:
    return TableData(
        index=index_of_edition(cycle.edition),
        year=cycle.year,
        origin=Origin.CYCLE,
        title=cycle.name,
        rows=rows,
        nodes=edition_nodes(cycle.edition),
        edition=cycle.edition,
        source=f"cycle {cycle.pk}",
        provenance=provenance,
        synthetic=cycle.synthetic,
    )


def record_publication(score_table: ScoreTable, *, cycle: Cycle) -> Publication:
    """The rows of a cycle being published (called by the assessments' ``publish``, inside its
    transaction)."""
    if Publication.objects.filter(cycle=cycle).exists():
        raise PublicationError(_("this cycle is already published"))
    provenance = {
        key: value if isinstance(value, (str, int, float, dict)) else str(value)
        for key, value in asdict(score_table.provenance).items()
    }
    return write_publication(
        _cycle_table(cycle, rows_from_table(score_table), provenance),
        cycle=cycle,
        published_at=cycle.published_at,
    )


def correct_publication(publication: Publication, data: TableData, reason: str) -> Publication:
    """A new publication that corrects ``publication`` (which must be the latest of its chain)."""
    if not reason.strip():
        raise PublicationError(_("a correction needs a reason"))
    latest = Publication.objects.select_for_update().get(pk=publication.pk)
    if not latest.is_current:
        raise PublicationError(_("this publication was already corrected; correct the latest"))
    return write_publication(data, cycle=publication.cycle, corrects=latest, reason=reason.strip())


def current_publications() -> QuerySet[Publication]:
    """Publications not corrected by a later one."""
    return Publication.objects.filter(correction__isnull=True)
