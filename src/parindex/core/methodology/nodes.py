"""The tree of an edition: fields (lĩnh vực), criteria (tiêu chí), component criteria
(tiêu chí thành phần).

A component is scored by a rule from the closed registry. A criterion either has components
and sums them, or (as some of Decision 876's ministry criteria) is scored itself; then it carries
its own source and rule and lists no components.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from parindex.core.methodology.rules import ManualRule, Rule
from parindex.core.units import UnitKind

NodeId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")]
"""A stable dotted id such as ``3.2.1``: kept across editions, linked by ``replaces``."""

SOURCE_PATTERN = re.compile(r"^(self_assessment|survey:[a-z0-9_-]+|computed:[a-z0-9_.-]+)$")
Source = Annotated[str, StringConstraints(pattern=SOURCE_PATTERN.pattern)]
"""``self_assessment``, ``survey:<respondent-group>`` or ``computed:<indicator>``."""

Points = Annotated[float, Field(ge=0)]


class NodeBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: NodeId
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    max_points: Points
    replaces: NodeId | None = None


class ScoringSpec(BaseModel):
    """How a scored node earns its points."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Source = "self_assessment"
    rule: Rule = Field(default_factory=ManualRule)
    evidence_required: bool = False
    evidence_vi: str = ""
    """What evidence is expected (tài liệu kiểm chứng), as the appendix describes it."""
    applies_to: tuple[UnitKind, ...] = ()
    """Unit kinds the node applies to; empty: every kind the edition assesses."""
    guidance_vi: str = ""
    guidance_en: str = ""

    @model_validator(mode="after")
    def _evidence_text_means_required(self) -> ScoringSpec:
        if self.evidence_vi and not self.evidence_required:
            raise ValueError("evidence_vi describes evidence, so evidence_required must be true")
        return self


class ComponentNode(NodeBase, ScoringSpec):
    """A component criterion: the smallest scored unit of the methodology."""


class CriterionNode(NodeBase):
    """A criterion: the sum of its components, or scored itself when it has none."""

    components: tuple[ComponentNode, ...] = ()
    scoring: ScoringSpec | None = None

    @model_validator(mode="after")
    def _components_or_own_scoring(self) -> CriterionNode:
        if self.components and self.scoring is not None:
            raise ValueError("a criterion with components is scored by them: remove 'scoring'")
        if not self.components and self.scoring is None:
            raise ValueError("a criterion needs components, or 'scoring' to be scored itself")
        return self

    def scored(self) -> tuple[ComponentNode, ...]:
        """The nodes that receive points: the components, or the criterion itself."""
        if self.components:
            return self.components
        assert self.scoring is not None
        return (
            ComponentNode(
                id=self.id,
                name_vi=self.name_vi,
                name_en=self.name_en,
                max_points=self.max_points,
                replaces=self.replaces,
                **self.scoring.model_dump(),
            ),
        )


class FieldNode(NodeBase):
    """A field (lĩnh vực, "component index" when published as a percentage)."""

    criteria: tuple[CriterionNode, ...] = Field(min_length=1)


def walk(fields: tuple[FieldNode, ...]) -> Iterator[tuple[str, NodeBase, str | None]]:
    """Every node with its level (``field``, ``criterion``, ``component``) and parent id."""
    for field in fields:
        yield "field", field, None
        for criterion in field.criteria:
            yield "criterion", criterion, field.id
            for component in criterion.components:
                yield "component", component, criterion.id
