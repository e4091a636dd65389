"""Rank intervals on the public ranking: a publication determined in a cycle shows the cycle's
stored intervals (``assessments.services.certainty``); a table published elsewhere has none,
since the points of each component, which the intervals recompute, are not known here."""

from __future__ import annotations

from dataclasses import replace

from parindex.server.assessments.services.certainty import CycleCertainty, cycle_certainty
from parindex.server.results.services.tables import RankingPage


def with_intervals(page: RankingPage) -> RankingPage:
    """``page`` with each ranked row's interval and the reason when there are none."""
    publication = page.publication
    if publication.cycle_id is None or publication.cycle is None:
        page.certainty = CycleCertainty({}, reason="imported")
        return page
    found = cycle_certainty(publication.cycle)
    page.certainty = found
    page.rows = [replace(row, interval=found.units.get(row.ref)) for row in page.rows]
    return page
