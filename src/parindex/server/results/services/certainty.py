"""Rank intervals on the public ranking and a unit's profile: a publication determined in a
cycle shows the cycle's stored intervals (``assessments.services.certainty``); a table published elsewhere has none,
since the points of each component, which the intervals recompute, are not known here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from parindex.core.scoring.sensitivity import Statement
from parindex.server.assessments.services.certainty import cycle_certainty
from parindex.server.assessments.services.intervals import CycleCertainty, UnitInterval
from parindex.server.results.models import Publication
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


@dataclass(frozen=True)
class UnitCertainty:
    """How sure one unit's published rank is, for its profile: the cycle's stored interval
    (or why there is none), its one-at-a-time sentences in the reader's language."""

    cycle: CycleCertainty
    interval: UnitInterval | None
    sentences: list[str] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, float]]:
        """Each group's code and share of recomputations, in %."""
        return (
            [(code, 100 * share) for code, share in self.interval.groups] if self.interval else []
        )


def unit_certainty(publication: Publication, ref: str) -> UnitCertainty:
    """The unit's interval in the publication's cycle; for a table published elsewhere the
    reason ``imported`` (as on the ranking page). Never computed in the request: a stale or
    missing result is queued and reported as pending."""
    if publication.cycle_id is None or publication.cycle is None:
        return UnitCertainty(CycleCertainty({}, reason="imported"), None)
    from parindex.server.assessments.services import edition_of
    from parindex.server.plans.wording import sentence

    found = cycle_certainty(publication.cycle)
    interval = found.units.get(ref)
    if interval is None:
        return UnitCertainty(found, None)
    edition = edition_of(publication.cycle)
    return UnitCertainty(
        found,
        interval,
        [sentence(Statement(code, dict(params)), edition) for code, params in interval.statements],
    )
