"""An assessment's totals per field and overall, self-assessed and standing, computed by the
scoring engine (``core.scoring.totals``) so that every page agrees with the preview and the
published table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from parindex.core.assessment.components import components
from parindex.core.assessment.rounds import claimed
from parindex.core.methodology import Edition
from parindex.core.scoring.totals import UnitTotals, many_totals
from parindex.server.assessments.models import Assessment
from parindex.server.assessments.services.cycle import edition_of
from parindex.server.assessments.services.scores import final_points, score_board


@dataclass(frozen=True)
class FieldTotal:
    field_id: str
    name_vi: str
    name_en: str
    max_points: float
    self_points: float
    standing_points: float
    standing_pct: float | None


@dataclass(frozen=True)
class Totals:
    """Per field and overall; ``self_points`` counts what the unit claims (survey points for
    survey components), ``standing_points`` the score that stands after every round."""

    fields: list[FieldTotal]
    self_points: float
    standing_points: float
    max_points: float
    standing_pct: float | None

    def field(self, field_id: str) -> FieldTotal:
        return next(f for f in self.fields if f.field_id == field_id)


def totals_of(assessment: Assessment) -> Totals:
    return totals_for([assessment])[assessment.pk]


def totals_for(assessments: Iterable[Assessment]) -> dict[int, Totals]:
    """Each assessment's totals by its id. The self-assessed and standing points of every
    assessment of a cycle go through the scoring engine as one table (two rows per unit)
    rather than two tables per unit: a cycle's page of 78 units ran it 156 times."""
    by_cycle: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        by_cycle.setdefault(assessment.cycle_id, []).append(assessment)
    found: dict[int, Totals] = {}
    for group in by_cycle.values():
        edition = edition_of(group[0].cycle)
        points: dict[str, dict[str, float]] = {}
        kinds: dict[str, str] = {}
        applicable = {kind: components(edition, kind) for kind in {a.unit.kind for a in group}}
        for assessment in group:
            kind = assessment.unit.kind
            board = score_board(assessment)
            claims = {}
            for component in applicable[kind]:
                rounds = {r: e.points for r, e in board.get(component.id, {}).items()}
                claim = claimed(rounds, component.from_survey)
                if claim is not None:
                    claims[component.id] = claim
            points[f"{assessment.pk}/self"] = claims
            points[f"{assessment.pk}/standing"] = final_points(assessment, board)
            kinds[f"{assessment.pk}/self"] = kinds[f"{assessment.pk}/standing"] = kind
        computed = many_totals(edition, points, kinds)
        for assessment in group:
            found[assessment.pk] = _totals(
                edition,
                computed[f"{assessment.pk}/self"],
                computed[f"{assessment.pk}/standing"],
            )
    return found


def _totals(edition: Edition, self_totals: UnitTotals, standing: UnitTotals) -> Totals:
    fields = [
        FieldTotal(
            node.id,
            node.name_vi,
            node.name_en,
            standing.field(node.id).max_points,
            self_totals.field(node.id).points,
            standing.field(node.id).points,
            standing.field(node.id).pct,
        )
        for node in edition.fields
    ]
    return Totals(
        fields,
        self_totals.points,
        standing.points,
        standing.max_points,
        standing.index_pct,
    )
