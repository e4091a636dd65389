"""What every step of a cycle needs: its edition, its deadlines, the component asked for (of
those that apply to the unit, ``core.assessment.components``) and the refusal a step raises
(in the language of the person who tried it)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from parindex.core.assessment.components import Component, components
from parindex.core.assessment.workflow import Deadlines
from parindex.core.errors import ParindexError
from parindex.core.methodology import Edition, load_shipped
from parindex.server.assessments.models import Assessment, Cycle


class AssessmentError(ParindexError):
    """A step refused, with the reason for the person who tried it (in their language)."""


def out_of_range(component_id: str, max_points: float) -> str:
    return _("{id}: points must be between 0 and {max}").format(
        id=component_id, max=number_format(max_points)
    )


def edition_of(cycle: Cycle) -> Edition:
    edition = load_shipped(cycle.edition).value
    if edition is None:
        raise AssessmentError(_("edition {edition} does not load").format(edition=cycle.edition))
    return edition


def deadlines(cycle: Cycle) -> Deadlines:
    return Deadlines(
        cycle.self_assessment_deadline, cycle.explanation_deadline, cycle.appraisal_deadline
    )


def require_open(assessment: Assessment) -> None:
    if not assessment.cycle.is_open:
        raise AssessmentError(_("this assessment cycle is not open"))


def component_of(assessment: Assessment, component_id: str) -> Component:
    for component in components(edition_of(assessment.cycle), assessment.unit.kind):
        if component.id == component_id:
            return component
    raise AssessmentError(_("no component {id} for this unit").format(id=component_id))


__all__ = ["AssessmentError", "Component", "component_of", "components", "deadlines", "edition_of"]
