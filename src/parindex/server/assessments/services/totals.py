"""Per field of an assessment: the maximum for this unit, the self-assessed and the standing
points."""

from __future__ import annotations

from dataclasses import dataclass

from parindex.core.methodology.rules import SurveyMappingRule
from parindex.server.assessments.models import Assessment, Round
from parindex.server.assessments.services.cycle import Component, components, edition_of
from parindex.server.assessments.services.scores import final_points, score_board


@dataclass(frozen=True)
class FieldTotal:
    field_id: str
    name_vi: str
    name_en: str
    max_points: float
    self_points: float
    standing_points: float


def field_totals(assessment: Assessment) -> list[FieldTotal]:
    """Per field of the edition: the maximum for this unit, the self-assessed and the standing
    points (components that do not apply to the unit's kind do not count)."""
    edition = edition_of(assessment.cycle)
    board = score_board(assessment)
    standing = final_points(assessment)
    by_field: dict[str, list[Component]] = {}
    for component in components(edition, assessment.unit.kind):
        by_field.setdefault(component.field_id, []).append(component)
    totals = []
    for field in edition.fields:
        members = by_field.get(field.id, [])
        self_points = 0.0
        for component in members:
            entry = board.get(component.id, {}).get(Round.SELF)
            survey = board.get(component.id, {}).get(Round.SURVEY)
            chosen = survey if isinstance(component.spec.rule, SurveyMappingRule) else entry
            self_points += chosen.points if chosen and chosen.points is not None else 0.0
        totals.append(
            FieldTotal(
                field.id,
                field.name_vi,
                field.name_en,
                sum(c.spec.max_points for c in members),
                self_points,
                sum(standing.get(c.id, 0.0) for c in members),
            )
        )
    return totals
