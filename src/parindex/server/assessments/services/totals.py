"""An assessment's totals per field and overall, self-assessed and standing, computed by the
scoring engine (``core.scoring.totals``) so that every page agrees with the preview and the
published table."""

from __future__ import annotations

from dataclasses import dataclass

from parindex.core.assessment.components import components
from parindex.core.assessment.rounds import claimed
from parindex.core.scoring.totals import UnitTotals, unit_totals
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
    edition = edition_of(assessment.cycle)
    kind = assessment.unit.kind
    board = score_board(assessment)
    claims = {}
    for component in components(edition, kind):
        rounds = {r: e.points for r, e in board.get(component.id, {}).items()}
        points = claimed(rounds, component.from_survey)
        if points is not None:
            claims[component.id] = points
    self_totals: UnitTotals = unit_totals(edition, claims, kind)
    standing = unit_totals(edition, final_points(assessment, board), kind)
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
