"""``parindex results import``: tables published elsewhere (PAR INDEX of provinces and ministries,
SIPAS, PAPI totals and dimensions, PCI) stored as publications, one per index and year.

All or nothing: every fault of the file (row and column) is reported and nothing is stored. A
year already published for the index is refused unless the import is a correction with a reason.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from parindex.core.findings import Finding, Report
from parindex.core.results import INDEX_SCALES, PublishedYear, fold_name, read_published
from parindex.core.units import UnitKind
from parindex.server.accounts.models import Unit
from parindex.server.accounts.services import load_reference_units
from parindex.server.results.models import Index, Origin, Publication, Status
from parindex.server.results.services.publication import (
    NodeData,
    RowData,
    TableData,
    correct_publication,
    write_publication,
)
from parindex.server.results.services.tables import round2

ALIASES = {"thua thien hue": "hue", "tp hcm": "ho chi minh", "hcm": "ho chi minh"}
"""Names the press uses for a unit whose official name reads otherwise."""

PAR_GROUPS = ((90.0, "A"), (80.0, "B"), (70.0, "C"), (0.0, "D"))
"""PAR INDEX groups by the published % (Decision 876/QĐ-BNV and before), when a source gives the
score but not the group."""

DIMENSIONS = {
    "d1": ("Tham gia của người dân ở cấp cơ sở", "Participation at local levels"),
    "d2": ("Công khai, minh bạch", "Transparency"),
    "d3": ("Trách nhiệm giải trình với người dân", "Vertical accountability"),
    "d4": ("Kiểm soát tham nhũng trong khu vực công", "Control of corruption in the public sector"),
    "d5": ("Thủ tục hành chính công", "Public administrative procedures"),
    "d6": ("Cung ứng dịch vụ công", "Public service delivery"),
    "d7": ("Quản trị môi trường", "Environmental governance"),
    "d8": ("Quản trị điện tử", "E-governance"),
}
"""PAPI's dimensions as the PAPI reports name them."""


@dataclass(frozen=True)
class ImportResult:
    publications: tuple[Publication, ...]
    rows: int


class _Units:
    """Units by folded name for a year: the units in force at the end of that year."""

    def __init__(self, kind: UnitKind) -> None:
        self.kind = kind
        self.cache: dict[int, dict[str, str]] = {}

    def __call__(self, name: str, year: int) -> str | None:
        if year not in self.cache:
            names: dict[str, str] = {}
            for unit in Unit.objects.filter(kind=self.kind).valid_on(date(year, 12, 31)):
                for label in (unit.name_vi, unit.name_en, unit.code, unit.ref):
                    if label:
                        names.setdefault(fold_name(label), unit.ref)
            self.cache[year] = names
        key = fold_name(name)
        return self.cache[year].get(ALIASES.get(key, key))


def _group(index: str, pct: float | None) -> str:
    if pct is None or not index.startswith("par-index"):
        return ""
    return next(letter for floor, letter in PAR_GROUPS if round2(pct) >= floor)


def _table(index: str, year: PublishedYear, source: str, title: str) -> TableData:
    total_max, node_max = INDEX_SCALES[index]
    scale_max = total_max if index != Index.PAPI else 80.0
    rows = []
    for entry in year.entries:
        if entry.not_assessed:
            status = Status.NOT_ASSESSED
        elif entry.pct is None:
            status = Status.NOT_PUBLISHED
        else:
            status = Status.PUBLISHED
        rows.append(
            RowData(
                unit=entry.unit,
                node=entry.node,
                status=status,
                pct=entry.pct,
                max_points=(node_max if entry.node else scale_max)
                if entry.pct is not None
                else None,
                rank=entry.rank,
                ranked_of=entry.ranked_of,
                group=entry.group or (_group(index, entry.pct) if not entry.node else ""),
                change_pct=entry.change,
                note=entry.note,
                source=entry.source,
            )
        )
    label = Index(index).label
    nodes = [NodeData("", str(label), str(label), "index", scale_max)]
    for node, name in year.nodes:
        vi, en = DIMENSIONS.get(node, (name, name)) if index == Index.PAPI else (name, name)
        nodes.append(
            NodeData(node, vi, en, "dimension" if index == Index.PAPI else "field", node_max)
        )
    return TableData(
        index=index,
        year=year.year,
        origin=Origin.IMPORT,
        title=title or f"{label} {year.year}",
        rows=rows,
        nodes=nodes,
        source=source,
        scale_max=scale_max,
        unit_of_score="%" if scale_max == 100 else "",
        stated=year.stated,
    )


def import_results(
    path: Path,
    index: str,
    *,
    year: int | None = None,
    ranked_of: int | None = None,
    title: str = "",
    correction: str = "",
    content: bytes | None = None,
) -> Report[ImportResult]:
    """Store the years in ``path`` as publications of ``index``; every fault, or the result."""
    kind = UnitKind.MINISTRY if index == Index.PAR_INDEX_MINISTRY else UnitKind.PROVINCE
    if not Unit.objects.filter(kind=kind).exists():
        # Provinces and ministries are the reference catalogue every installation starts with.
        load_reference_units()
    read = read_published(
        path, index, _Units(kind), year=year, ranked_of=ranked_of, content=content
    )
    if read.value is None:
        return Report(None, read.findings)
    source = path.name
    digest = hashlib.sha256(path.read_bytes() if content is None else content).hexdigest()
    findings = []
    existing: dict[int, Publication] = {}
    todo = []
    for published in read.value:
        # One source per index and year: another source of the same year (PAPI's dimensions
        # and its totals come from different reports) is a publication of its own.
        current = Publication.objects.filter(
            index=index, year=published.year, source=source, correction__isnull=True
        ).first()
        if current is not None and current.provenance.get("file_sha256") == digest:
            continue  # the same file again: ignored, not counted twice
        if current is not None and not correction:
            findings.append(
                Finding(
                    "published",
                    f"{index} {published.year} from {source} is already imported with other "
                    "figures; import it as a correction with a reason",
                    source,
                )
            )
        elif current is not None:
            existing[published.year] = current
        todo.append(published)
    if findings:
        return Report(None, tuple(findings))
    made = []
    with transaction.atomic():
        for published in todo:
            data = replace(
                _table(index, published, source, title),
                provenance={"file": source, "file_sha256": digest},
            )
            if published.year in existing:
                made.append(correct_publication(existing[published.year], data, correction))
            else:
                made.append(write_publication(data, published_at=timezone.now()))
    rows = sum(len(p.entries) for p in todo)
    return Report(ImportResult(tuple(made), rows), ())


def counts_by_group(publication: Publication) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for group in publication.rows.filter(node="", status=Status.PUBLISHED).values_list(
        "group", flat=True
    ):
        counts[group] += 1
    return dict(counts)
