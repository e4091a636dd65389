"""The components a unit is assessed on: an edition's scored nodes that apply to its kind (a
commune is not scored on a department's components)."""

from __future__ import annotations

from dataclasses import dataclass

from parindex.core.methodology import Edition
from parindex.core.methodology.nodes import ComponentNode
from parindex.core.methodology.rules import SurveyMappingRule
from parindex.core.units import UnitKind


@dataclass(frozen=True)
class Component:
    field_id: str
    criterion_id: str
    spec: ComponentNode
    id: str
    name_vi: str
    name_en: str

    @property
    def from_survey(self) -> bool:
        return isinstance(self.spec.rule, SurveyMappingRule)


def components(edition: Edition, kind: UnitKind | str | None = None) -> list[Component]:
    """The scored nodes that apply to a unit of ``kind`` (all when ``None``), in order.

    >>> from parindex.core.methodology import load_shipped
    >>> edition = load_shipped("par-index-provincial-units/2024").value
    >>> len(components(edition, "commune")) < len(components(edition))
    True
    """
    found = []
    for field, criterion, node in edition.scored():
        if kind and node.applies_to and UnitKind(kind) not in node.applies_to:
            continue
        found.append(Component(field.id, criterion.id, node, node.id, node.name_vi, node.name_en))
    return found
