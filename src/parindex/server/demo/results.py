"""The demo's published PAR INDEX years of the 63 provinces (2020-2024), synthetic but shaped
like the real announcements: each year's national average and group counts are the published
ones (2024: 88.37 % with 13 provinces in group A and 50 in B; 2020: 83.72 %), each province keeps
a persistent strength so trends and year-on-year changes look plausible, and fields add up to the
index. 2020-2021 use the 2017 edition and 2022 on the 2023 one, so the trend shows its break."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology.shipped import load_shipped
from parindex.core.scoring.ranking import competition_ranks
from parindex.core.scoring.rounding import round_half_up
from parindex.core.units.reference import provinces_63
from parindex.server.results.models import Index, Origin, Publication
from parindex.server.results.services.publication import (
    RowData,
    TableData,
    edition_nodes,
    write_publication,
)
from parindex.server.results.services.reorganisation import merged_rows

BANDS = {"A": (90.05, 96.8), "B": (80.05, 89.95), "C": (72.0, 79.95), "D": (62.0, 69.9)}


@dataclass(frozen=True)
class PublishedYearTarget:
    year: int
    edition: str
    average: float
    groups: dict[str, int] | None
    """Units per group as announced; ``None`` where the announcement gave none."""


TARGETS = (
    PublishedYearTarget(2020, "par-index-province/2017", 83.72, None),
    PublishedYearTarget(2021, "par-index-province/2017", 86.37, {"A": 3, "B": 59, "C": 1}),
    PublishedYearTarget(2022, "par-index-province/2023", 84.79, {"A": 2, "B": 56, "C": 5}),
    PublishedYearTarget(2023, "par-index-province/2023", 86.98, {"A": 7, "B": 56}),
    PublishedYearTarget(2024, "par-index-province/2023", 88.37, {"A": 13, "B": 50}),
)
"""From ``par_index_summary_by_year.csv`` and the yearly files of the shared published data
(2022's average: 2023's 86.98 less its stated rise of 2.19)."""


def year_scores(
    rng: np.random.Generator, n: int, average: float, groups: dict[str, int] | None
) -> NDArray[np.float64]:
    """``n`` scores rounded to 2 decimals whose mean rounds to ``average`` and whose count in
    each group band is ``groups`` (sorted high to low)."""
    if groups is None:
        values = np.clip(rng.normal(average, 3.2, n), 70.5, 92.0)
        free = np.ones(n, dtype=bool)
        bands = [(70.5, 92.0)] * n
    else:
        assert sum(groups.values()) == n
        parts, bands = [], []
        for group in "ABCD":
            low, high = BANDS[group]
            count = groups.get(group, 0)
            parts.append(rng.uniform(low, high if group != "B" else (low + high) / 2 + 3, count))
            bands += [(low, high)] * count
        values = np.concatenate(parts)
        largest = max(groups, key=lambda g: groups[g])
        free = np.array([b == BANDS[largest] for b in bands])
    lows = np.array([b[0] for b in bands])
    highs = np.array([b[1] for b in bands])
    for _ in range(50):  # shift the free units until the mean is right (clipping may need rounds)
        gap = average * n - values.sum()
        if abs(gap) < 1e-9:
            break
        values[free] = np.clip(values[free] + gap / free.sum(), lows[free], highs[free])
    values = round_half_up(values, 2)
    # The last cents of rounding go to one free unit, so the mean is exactly the average.
    cents = round(average * n * 100) - round(float(values.sum()) * 100)
    k = int(np.flatnonzero(free)[free.sum() // 2])
    values[k] = round(values[k] + cents / 100, 2)
    return np.sort(values)[::-1]


def field_points(
    rng: np.random.Generator, pct: float, maxima: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Field points that add up to ``pct`` (of a 100-point index), each within its maximum."""
    shares = np.clip(pct + rng.normal(0, 5, len(maxima)), 35.0, 100.0) / 100
    points = maxima * shares
    gap = pct - points.sum()
    room = maxima - points if gap > 0 else points
    points = points + gap * room / room.sum()
    points = round_half_up(points, 2)
    points[np.argmax(maxima - points)] += round(pct - points.sum(), 2)
    return points


def build_published_years(rng: np.random.Generator) -> list[Publication]:
    provinces = provinces_63()
    refs = [p.ref for p in provinces]
    n = len(refs)
    strength = rng.normal(0, 1, n)
    made = []
    for target in TARGETS:
        edition = load_shipped(target.edition).value
        assert edition is not None
        maxima = np.array([f.max_points for f in edition.fields])
        scores = year_scores(rng, n, target.average, target.groups)
        order = np.argsort(-(strength + rng.normal(0, 0.45, n)))
        pct = np.empty(n)
        pct[order] = scores
        ranks, ranked_of = competition_ranks(pct, ("province",) * n, np.ones(n, dtype=bool))
        fields = np.array([field_points(rng, float(p), maxima) for p in pct])
        field_pct = round_half_up(fields / maxima * 100, 2)
        field_ranks = np.column_stack(
            [
                competition_ranks(field_pct[:, j], ("province",) * n, np.ones(n, dtype=bool))[0]
                for j in range(len(maxima))
            ]
        )
        rows = []
        for i, ref in enumerate(refs):
            group = next(g for g in "ABCD" if pct[i] >= {"A": 90, "B": 80, "C": 70, "D": 0}[g])
            rows.append(
                RowData(
                    unit=ref,
                    points=float(pct[i]),
                    max_points=100.0,
                    pct=float(pct[i]),
                    rank=int(ranks[i]),
                    ranked_of=int(ranked_of[i]),
                    group=group,
                    peer_group="province",
                )
            )
            for j, field in enumerate(edition.fields):
                rows.append(
                    RowData(
                        unit=ref,
                        node=field.id,
                        points=float(fields[i, j]),
                        max_points=float(maxima[j]),
                        pct=float(field_pct[i, j]),
                        rank=int(field_ranks[i, j]),
                        ranked_of=n,
                        peer_group="province",
                    )
                )
        stated = {"national_average": f"{target.average:.2f}"}
        stated.update({f"group_{g}": str(c) for g, c in (target.groups or {}).items()})
        made.append(
            write_publication(
                TableData(
                    index=Index.PAR_INDEX_PROVINCE,
                    year=target.year,
                    origin=Origin.IMPORT,
                    # Words in no one language: the page says "synthetic" in the reader's
                    # (the publication's ``synthetic`` flag), not the stored title.
                    title=f"PAR INDEX {target.year}",
                    rows=rows,
                    nodes=edition_nodes(target.edition),
                    edition=target.edition,
                    source="parindex demo",
                    stated=stated,
                    synthetic=True,
                )
            )
        )
    return made


def todays_provinces(publication: Publication) -> dict[str, float]:
    """A year of the 63 seen as today's 34 provinces (the unweighted mean of the provinces each
    absorbed, as the results site shows it): where the demo's determined year follows on from."""
    return {row.ref: row.mean for row in merged_rows(publication) if row.mean is not None}
