"""A methodology edition: one complete, immutable snapshot of an index's criteria and rules.

An edition is data (YAML under ``parindex/methodologies/<index>/<edition>/``). Once a cycle uses
it, it never changes; a change is a new edition whose nodes name what they ``replaces``.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from parindex.core.methodology.nodes import ComponentNode, CriterionNode, FieldNode, Points
from parindex.core.units import UnitKind


class EditionStatus(StrEnum):
    OFFICIAL = "official"
    ILLUSTRATIVE = "illustrative"


class Aggregation(StrEnum):
    SUM = "sum"
    """Points add up: component → criterion → field → index (PAR INDEX)."""
    MEAN = "mean"
    """Each node's percentage is the plain mean of its children's (SIPAS's default)."""


class NotApplicableRule(StrEnum):
    RESCALE = "rescale"
    """A not-applicable component leaves both points and maximum; percentages re-scale."""
    ZERO = "zero"
    FULL = "full"


class LegalBasis(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str = Field(min_length=1)
    title: str = ""
    url: str = ""


class Years(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    first: int = Field(ge=2000, le=2100)
    last: int | None = Field(default=None, ge=2000, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Years:
        if self.last is not None and self.last < self.first:
            raise ValueError(f"last year {self.last} is before first year {self.first}")
        return self


class Grade(BaseModel):
    """A band of a grading scale: from ``min`` (percent or points) up to the next band."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1)
    name_vi: str = ""
    name_en: str = ""
    min: float


class GradingScale(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = "groups"
    name_vi: str = ""
    name_en: str = ""
    basis: Literal["percent", "points"] = "percent"
    components: tuple[str, ...] = ()
    """Ids of the scored nodes this scale sums; empty: the whole index."""
    bands: tuple[Grade, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_descend(self) -> GradingScale:
        mins = [band.min for band in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError(f"bands must be listed from the highest 'min' down, got {mins}")
        return self


class Rounding(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    decimals: int = Field(default=2, ge=0, le=6)
    mode: Literal["half_up", "half_even"] = "half_up"


class PeerGroup(BaseModel):
    """Units ranked against each other (e.g. departments apart from communes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name_vi: str = ""
    name_en: str = ""
    unit_kinds: tuple[UnitKind, ...] = Field(min_length=1)


class ScaleOption(BaseModel):
    """One answer of a survey scale, e.g. code ``5`` "Rất hài lòng"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1)
    name_vi: str = Field(min_length=1)
    name_en: str = ""


class QuestionnairePart(BaseModel):
    """A part of a survey questionnaire that is asked but not scored (demographics, channels …)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name_vi: str = Field(min_length=1)
    name_en: str = ""


class FieldWeighting(BaseModel):
    """An alternative weighting of the fields that an edition declares as uncertain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name_vi: str = ""
    name_en: str = ""
    equal: bool = False
    """Every field counts the same, whatever its maximum."""
    weights: dict[str, float] = Field(default_factory=dict)
    """Field id → relative weight (1 where not named): multiplies the field's points and maximum
    in a sum edition, its share in the mean of a mean edition."""


class UncertainChoices(BaseModel):
    """Methodological choices an edition declares as open to reasonable doubt; rank intervals
    draw each replicate's choice among the edition's own and these alternatives."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field_weights: tuple[FieldWeighting, ...] = ()
    rounding_decimals: tuple[int, ...] = ()
    not_applicable: tuple[NotApplicableRule, ...] = ()
    survey_aggregation: tuple[str, ...] = ()
    """Names of alternative survey scorings (e.g. ``mean_score`` beside the share satisfied);
    their points come with the survey replicates as a ``variant``."""


class EditionHeader(BaseModel):
    """Everything about an edition except its tree: the content of ``index.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]+/[A-Za-z0-9._-]+$")
    title_vi: str = Field(min_length=1)
    title_en: str = ""
    valid_years: Years
    legal_basis: tuple[LegalBasis, ...] = ()
    status: EditionStatus
    status_note_vi: str = ""
    status_note_en: str = ""
    unit_kinds: tuple[UnitKind, ...] = Field(min_length=1)
    peer_groups: tuple[PeerGroup, ...] = ()
    total_points: Points
    aggregation: Aggregation = Aggregation.SUM
    rounding: Rounding = Field(default_factory=Rounding)
    not_applicable: NotApplicableRule = NotApplicableRule.RESCALE
    bonus_cap: Points = 0
    penalty_cap: Points = 0
    grading: GradingScale | None = None
    other_scales: tuple[GradingScale, ...] = ()
    answer_scale: tuple[ScaleOption, ...] = ()
    """For survey indices: the answer scale of the scored items."""
    unscored_parts: tuple[QuestionnairePart, ...] = ()
    previous: str | None = None
    """The edition whose node ids ``replaces`` refers to."""
    uncertainty: UncertainChoices | None = None
    """Choices declared uncertain, for rank intervals and sensitivity (optional)."""

    @property
    def index(self) -> str:
        return self.id.split("/", 1)[0]


class Edition(EditionHeader):
    """A whole edition: header and tree."""

    fields: tuple[FieldNode, ...] = Field(min_length=1)

    def scored(self) -> Iterator[tuple[FieldNode, CriterionNode, ComponentNode]]:
        """Every scored node (component, or criterion scored itself) with its field and criterion."""
        for field in self.fields:
            for criterion in field.criteria:
                for node in criterion.scored():
                    yield field, criterion, node

    def names(self, english: bool = False) -> dict[str, str]:
        """Every field's, criterion's and scored node's name by id, in English where asked
        and given, else in Vietnamese."""
        names: dict[str, str] = {}
        for field in self.fields:
            for node in (field, *field.criteria):
                names[node.id] = node.name_en if english and node.name_en else node.name_vi
        for _field, _criterion, node in self.scored():
            names[node.id] = node.name_en if english and node.name_en else node.name_vi
        return names

    def header(self) -> EditionHeader:
        return EditionHeader.model_validate(self.model_dump(exclude={"fields"}))

    def counts(self) -> dict[str, int]:
        """Fields, criteria and component criteria, as decisions state them."""
        criteria = [c for f in self.fields for c in f.criteria]
        return {
            "fields": len(self.fields),
            "criteria": len(criteria),
            "components": sum(len(c.components) for c in criteria),
        }
