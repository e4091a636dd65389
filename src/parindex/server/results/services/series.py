"""An index's published years as a series: the method in force each year (results compare only
under one), the publication a year's page shows, the previous year's, the national average of
each year and the indices and years published."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import get_language

from parindex.core.methodology.shipped import load_shipped, shipped_edition_ids
from parindex.core.scoring.rounding import round_half_up_scalar
from parindex.reports import charts
from parindex.server.results.models import Index, Publication, Status

METHOD_PERIODS: dict[str, tuple[tuple[int, str], ...]] = {
    "par-index-province": (
        (2012, "2012–2016"),
        (2017, "QĐ 2948/QĐ-BNV"),
        (2020, "QĐ 1149, 1150/QĐ-BNV"),
        (2022, "QĐ 876/QĐ-BNV"),
    ),
    "par-index-ministry": (
        (2012, "2012–2016"),
        (2017, "QĐ 2948/QĐ-BNV"),
        (2020, "QĐ 1149, 1150/QĐ-BNV"),
        (2022, "QĐ 876/QĐ-BNV"),
    ),
    "sipas": ((2017, "QĐ 2640/QĐ-BNV"), (2022, "QĐ 1001/QĐ-BNV")),
    "papi": ((2009, "6"), (2018, "8")),
}
"""The method in force from a year on, for tables imported without an edition (METHODS.md)."""


def method_of(publication: Publication) -> str:
    """Results are comparable across years only under one method: the edition, or the period."""
    if publication.edition:
        return publication.edition
    periods = METHOD_PERIODS.get(publication.index, ())
    found = [label for first, label in periods if first <= publication.year]
    return found[-1] if found else ""


def method_title(method: str) -> str:
    """A method as readers know it: a shipped edition by its title and years in the reader's
    language (its id is a code), a period's label as it is."""
    if method not in shipped_edition_ids():
        return method
    edition = load_shipped(method).value
    if edition is None:
        return method
    title = edition.title_en if get_language() == "en" and edition.title_en else edition.title_vi
    years = edition.valid_years
    span = f"{years.first}–{years.last}" if years.last else f"{years.first}"
    return f"{title} ({span})"


def primary(index: str, year: int) -> Publication | None:
    """The publication a year's page shows: the cycle determined here, else the imported source
    with most scores (the others are offered beside it)."""
    candidates = (
        Publication.objects.filter(index=index, year=year, correction__isnull=True)
        .annotate(scored=Count("rows", filter=Q(rows__node="", rows__status=Status.PUBLISHED)))
        .order_by("-scored", "-published_at")
    )
    found = list(candidates)
    for publication in found:
        if publication.origin == "cycle":
            return publication
    return found[0] if found else None


def mean(values: list[float]) -> float | None:
    return round_half_up_scalar(statistics.fmean(values), 2) if values else None


def previous_of(publication: Publication) -> Publication | None:
    years = (
        Publication.objects.filter(index=publication.index, year__lt=publication.year)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    year = next(iter(years), None)
    return primary(publication.index, year) if year is not None else None


def national_average(publication: Publication) -> float | None:
    """The stated national average, else the mean of the published % when the table is whole
    (a cycle determined here, or a complete table): a partial table's own mean would mislead."""
    stated = publication.stated.get("national_average")
    if stated:
        try:
            return float(stated)
        except ValueError:
            return None
    rows = publication.rows.filter(node="")
    values = [v for v in rows.filter(status=Status.PUBLISHED).values_list("pct", flat=True)]
    complete = publication.origin == "cycle" or len(values) == rows.count()
    return mean([v for v in values if v is not None]) if complete else None


def trend_points(index: str) -> list[charts.TrendPoint]:
    """The national average of each year's primary publication: the stated one when the source
    states it (a partial table's own mean would mislead), else the mean of the published %."""
    points = []
    for year in sorted(set(Publication.objects.filter(index=index).values_list("year", flat=True))):
        publication = primary(index, year)
        if publication is None:
            continue
        value = national_average(publication)
        points.append(charts.TrendPoint(year, value, method_of(publication)))
    return points


@dataclass(frozen=True)
class IndexYears:
    index: str
    label: str
    years: list[int]


def published_indexes() -> list[IndexYears]:
    found: dict[str, set[int]] = {}
    for index, year in Publication.objects.values_list("index", "year"):
        found.setdefault(index, set()).add(year)
    return [
        IndexYears(choice.value, str(choice.label), sorted(found[choice.value], reverse=True))
        for choice in Index
        if choice.value in found
    ]
