"""One field page of an assessment: what it shows each component with (every round's score,
evidence, questions) and what it writes, all or nothing, in the reader's mode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core.assessment.workflow import Mode, State, WorkflowError, page_mode
from parindex.core.methodology.nodes import FieldNode
from parindex.core.methodology.rules import ManualRule, SurveyMappingRule
from parindex.core.numbers import parse_number
from parindex.server.accounts.models import User
from parindex.server.assessments.models import (
    Assessment,
    Evidence,
    ExplanationRequest,
    Round,
    ScoreEntry,
)
from parindex.server.assessments.services import evidence as evidence_service
from parindex.server.assessments.services import scores
from parindex.server.assessments.services.cycle import (
    AssessmentError,
    Component,
    components,
    edition_of,
)
from parindex.server.assessments.services.moves import refusal
from parindex.server.assessments.services.visibility import roles_for


@dataclass(frozen=True)
class Entry:
    """One component with every round's latest score, its evidence and the questions asked."""

    component: Component
    rounds: Mapping[str, ScoreEntry]
    standing: float | None
    evidence: list[Evidence]
    requests: list[ExplanationRequest]

    @property
    def survey(self) -> bool:
        return isinstance(self.component.spec.rule, SurveyMappingRule)

    @property
    def manual(self) -> bool:
        return isinstance(self.component.spec.rule, ManualRule)

    @property
    def inputs(self) -> tuple[str, ...]:
        rule = self.component.spec.rule
        return () if isinstance(rule, ManualRule) else tuple(rule.inputs)


@dataclass(frozen=True)
class FieldSheet:
    field: FieldNode
    mode: Mode
    entries: list[Entry]


@dataclass
class Typed:
    """What was posted for one component: ``points``, ``explanation``, ``decision``,
    ``reason``, ``question`` and rule inputs by name; answers by request; files."""

    values: dict[str, str] = field(default_factory=dict)
    answers: dict[int, str] = field(default_factory=dict)
    files: list[UploadedFile[bytes]] = field(default_factory=list)


def field_sheet(assessment: Assessment, user: User, field_id: str) -> FieldSheet | None:
    """The field's components for this unit, or ``None`` when the field is not the unit's."""
    edition = edition_of(assessment.cycle)
    node = next((f for f in edition.fields if f.id == field_id), None)
    if node is None:
        return None
    board = scores.score_board(assessment)
    standing = scores.final_points(assessment)
    files: dict[str, list[Evidence]] = {}
    for item in assessment.evidence.order_by("id"):
        files.setdefault(item.component, []).append(item)
    asked: dict[str, list[ExplanationRequest]] = {}
    for request in assessment.explanation_requests.order_by("id"):
        asked.setdefault(request.component, []).append(request)
    entries = [
        Entry(
            c,
            board.get(c.id, {}),
            standing.get(c.id),
            files.get(c.id, []),
            asked.get(c.id, []),
        )
        for c in components(edition, assessment.unit.kind)
        if c.field_id == field_id
    ]
    if not entries:
        return None
    mode = page_mode(State(assessment.state), roles_for(user, assessment))
    return FieldSheet(node, mode, entries)


def _points(text: str) -> float | None:
    try:
        return parse_number(text)
    except ValueError:
        raise AssessmentError(_("points must be a number")) from None


def _save(assessment: Assessment, user: User, mode: Mode, entry: Entry, typed: Typed) -> None:
    key, values = entry.component.id, typed.values
    if mode is Mode.SELF:
        explanation = values.get("explanation", "")
        points = _points(values.get("points", ""))
        self_entry = entry.rounds.get(Round.SELF)
        untouched = self_entry is None and points is None and not explanation.strip()
        if entry.survey:
            pass
        elif entry.manual and not untouched:
            scores.save_self_score(assessment, user, key, points=points, explanation=explanation)
        elif not entry.manual and any(values.get(n, "").strip() for n in entry.inputs):
            inputs = {name: values.get(name, "") for name in entry.inputs}
            scores.save_self_score(assessment, user, key, inputs=inputs, explanation=explanation)
    elif mode is Mode.APPRAISE:
        decision = values.get("decision", "")
        if decision == "accept":
            scores.appraise(assessment, user, key, points=None)
        elif decision == "adjust":
            scores.appraise(
                assessment,
                user,
                key,
                points=_points(values.get("points", "")),
                reason=values.get("reason", ""),
            )
        question = values.get("question", "").strip()
        if question:
            evidence_service.request_explanation(assessment, user, key, question)
    elif mode is Mode.EXPLAIN:
        for request in entry.requests:
            answer = typed.answers.get(request.pk)
            if answer is not None and answer != request.answer:
                evidence_service.answer_explanation(request, user, answer)
    elif mode is Mode.COUNCIL:
        points = _points(values.get("points", ""))
        if points is not None and points != entry.standing:
            scores.council_score(assessment, user, key, points, values.get("reason", ""))
    for upload in typed.files:
        evidence_service.add_evidence(assessment, user, key, upload)


def save_field(
    assessment: Assessment, user: User, sheet: FieldSheet, typed: Mapping[str, Typed]
) -> dict[str, str]:
    """Write what was typed for each component of the field; if any component is refused,
    nothing is kept. Returns the refusal per component (empty when all was saved)."""
    errors: dict[str, str] = {}
    with transaction.atomic():
        for entry in sheet.entries:
            try:
                _save(assessment, user, sheet.mode, entry, typed.get(entry.component.id, Typed()))
            except (AssessmentError, WorkflowError) as error:
                errors[entry.component.id] = refusal(error)
        if errors:
            transaction.set_rollback(True)
    return errors
