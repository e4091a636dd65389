"""The determination's transactions: moves through the workflow, scores of every round,
evidence, explanations, survey points, computation and publication.

Who may do what for which unit is decided here (``roles_for``) and by the pure workflow; views
only call these functions and show what they return or refuse.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from parindex.core.assessment.workflow import (
    APPRAISABLE,
    EDITABLE_BY_UNIT,
    EXPLAINABLE_BY_UNIT,
    Action,
    Deadlines,
    State,
    move,
)
from parindex.core.methodology import Edition, load_shipped
from parindex.core.methodology.nodes import ScoringSpec
from parindex.core.methodology.rules import ManualRule, Ratio, SurveyMappingRule, YesNoRule
from parindex.core.roles import Role
from parindex.core.scoring.points import PointsRow, points_from_rows
from parindex.core.scoring.table import ScoreTable, compute
from parindex.core.units import UnitKind
from parindex.server.accounts.models import Unit, User
from parindex.server.accounts.services import has_role, user_reaches
from parindex.server.assessments.models import (
    Assessment,
    CouncilNote,
    Cycle,
    Evidence,
    ExplanationRequest,
    Round,
    ScoreEntry,
    StateChange,
)

EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# The first bytes each kind of file starts with: a renamed executable is refused.
MAGIC = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
    "application/vnd.ms-excel": (b"\xd0\xcf\x11\xe0",),
}
ZIP_MAGIC = b"PK\x03\x04"  # docx, xlsx, odt, ods
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
FINAL_ROUNDS = (Round.COUNCIL, Round.APPRAISAL_2, Round.APPRAISAL_1, Round.SELF)


class AssessmentError(Exception):
    """A step refused, with the reason for the person who tried it."""


def edition_of(cycle: Cycle) -> Edition:
    edition = load_shipped(cycle.edition).value
    if edition is None:
        raise AssessmentError(f"edition {cycle.edition} does not load")
    return edition


def deadlines(cycle: Cycle) -> Deadlines:
    return Deadlines(
        cycle.self_assessment_deadline, cycle.explanation_deadline, cycle.appraisal_deadline
    )


def roles_for(user: User, assessment: Assessment) -> frozenset[Role]:
    """The roles ``user`` plays for this unit's assessment."""
    roles = set()
    for role in (Role.FOCAL_POINT, Role.LEADER):
        if user_reaches(user, assessment.unit, [role]):
            roles.add(role)
    if assessment.appraisers.filter(pk=user.pk).exists():
        roles.add(Role.APPRAISER)
    roles.update(role for role in (Role.COUNCIL_MEMBER, Role.ADMIN) if has_role(user, role))
    return frozenset(roles)


def can_view(user: User, assessment: Assessment) -> bool:
    """A unit sees its own assessment; appraisers their assigned units; the council and admins
    all. A unit's drafts are its own until submitted."""
    roles = roles_for(user, assessment)
    if roles & {Role.FOCAL_POINT, Role.LEADER, Role.ADMIN}:
        return True
    submitted = assessment.state not in (State.DRAFT, State.APPROVED)
    return bool(roles & {Role.APPRAISER, Role.COUNCIL_MEMBER}) and submitted


@dataclass(frozen=True)
class Component:
    field_id: str
    criterion_id: str
    spec: ScoringSpec
    id: str
    name_vi: str
    name_en: str


def components(edition: Edition, kind: str | None = None) -> list[Component]:
    """The scored nodes that apply to a unit of ``kind``, in the edition's order."""
    found = []
    for field, criterion, node in edition.scored():
        if kind and node.applies_to and UnitKind(kind) not in node.applies_to:
            continue
        found.append(Component(field.id, criterion.id, node, node.id, node.name_vi, node.name_en))
    return found


def score_board(assessment: Assessment) -> dict[str, dict[str, ScoreEntry]]:
    """Per component, the latest entry of each round."""
    board: dict[str, dict[str, ScoreEntry]] = {}
    for entry in assessment.scores.order_by("id"):
        board.setdefault(entry.component, {})[entry.round] = entry
    return board


def final_points(assessment: Assessment) -> dict[str, float]:
    """Each component's standing score: the council's, else round 2, else round 1, else the
    self score; survey components from the survey round."""
    result = {}
    for component, rounds in score_board(assessment).items():
        for round_ in (Round.SURVEY, *FINAL_ROUNDS):
            entry = rounds.get(round_)
            if entry is not None and entry.points is not None:
                result[component] = entry.points
                break
    return result


def rule_points(spec: ScoringSpec, inputs: Mapping[str, str]) -> float:
    """Points from a rule's inputs as typed (decimal comma accepted)."""
    rule = spec.rule
    if isinstance(rule, YesNoRule):
        answer = str(inputs.get("yes", "")).strip().lower()
        return rule.score(spec.max_points, answer in ("1", "yes", "true", "có", "co"))
    values = {}
    for name in rule.inputs:
        text = str(inputs.get(name, "")).strip().replace(",", ".")
        try:
            values[name] = float(text)
        except ValueError:
            raise AssessmentError(f"'{name}' must be a number") from None
    if "numerator" in values:
        return rule.score(spec.max_points, Ratio(values["numerator"], values["denominator"]))
    value = next(iter(values.values()))
    return rule.score(spec.max_points, value)


def _component(assessment: Assessment, component_id: str) -> Component:
    for component in components(edition_of(assessment.cycle), assessment.unit.kind):
        if component.id == component_id:
            return component
    raise AssessmentError(f"no component {component_id} for this unit")


@transaction.atomic
def save_self_score(
    assessment: Assessment,
    user: User,
    component_id: str,
    *,
    points: float | None = None,
    inputs: Mapping[str, str] | None = None,
    explanation: str = "",
) -> ScoreEntry:
    if Role.FOCAL_POINT not in roles_for(user, assessment):
        raise AssessmentError("only the unit's focal point fills in its self-assessment")
    if assessment.state not in EDITABLE_BY_UNIT:
        raise AssessmentError("the self-assessment can be changed only while it is a draft")
    component = _component(assessment, component_id)
    rule = component.spec.rule
    if isinstance(rule, SurveyMappingRule):
        raise AssessmentError("this component is scored from the survey")
    if not isinstance(rule, ManualRule):
        # A computed component takes its indicator, never points typed over the rule.
        points = rule_points(component.spec, inputs or {})
    if points is not None and not 0 <= points <= component.spec.max_points:
        raise AssessmentError(
            f"{component_id}: points must be between 0 and {component.spec.max_points}"
        )
    before = score_board(assessment).get(component_id, {}).get(Round.SELF)
    return ScoreEntry.objects.create(
        assessment=assessment,
        component=component_id,
        round=Round.SELF,
        points=points,
        previous=before.points if before else None,
        inputs=dict(inputs or {}),
        explanation=explanation,
        author=user,
    )


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    name = upload.name or "file"
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    content_type = EVIDENCE_TYPES.get(suffix)
    if content_type is None:
        raise AssessmentError(
            f"{name}: evidence must be PDF, an Office document or an image (not '{suffix}')"
        )
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise AssessmentError(f"{name}: larger than 20 MB")
    if upload.size == 0:
        raise AssessmentError(f"{name}: the file is empty")
    head = upload.read(8)
    upload.seek(0)
    expected = MAGIC.get(content_type, (ZIP_MAGIC,))
    if not head.startswith(expected):
        raise AssessmentError(f"{name}: the content is not a {suffix} file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


@transaction.atomic
def add_evidence(
    assessment: Assessment, user: User, component_id: str, upload: UploadedFile
) -> Evidence:
    roles = roles_for(user, assessment)
    if Role.FOCAL_POINT not in roles:
        raise AssessmentError("only the unit's focal point adds evidence")
    if assessment.state in EDITABLE_BY_UNIT:
        round_ = Round.SELF
    elif assessment.state in EXPLAINABLE_BY_UNIT:
        round_ = Round.APPRAISAL_1  # evidence given with the explanation
    else:
        raise AssessmentError("evidence can be added to a draft or with an explanation")
    _component(assessment, component_id)
    content_type, sha256 = _check_upload(upload)
    evidence = Evidence(
        assessment=assessment,
        component=component_id,
        round=round_,
        name=(upload.name or "file")[:255],
        size=upload.size or 0,
        content_type=content_type,
        sha256=sha256,
        uploaded_by=user,
    )
    evidence.file.save(sha256, upload, save=False)
    evidence.save()
    return evidence


def missing_evidence(assessment: Assessment) -> list[str]:
    """Components requiring evidence that have neither a file nor an explanation of why not."""
    with_files = set(assessment.evidence.values_list("component", flat=True))
    board = score_board(assessment)
    missing = []
    for component in components(edition_of(assessment.cycle), assessment.unit.kind):
        if not component.spec.evidence_required or component.id in with_files:
            continue
        entry = board.get(component.id, {}).get(Round.SELF)
        if entry is None or not entry.explanation.strip():
            missing.append(component.id)
    return missing


def _notify(recipients: list[str], subject: str, body: str) -> None:
    addresses = [a for a in recipients if a]
    if addresses:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False)


def _people(assessment: Assessment, role: Role) -> list[str]:
    if role is Role.APPRAISER:
        return [u.email for u in assessment.appraisers.all()]
    users = User.objects.filter(role_assignments__role=role).distinct()
    return [u.email for u in users if user_reaches(u, assessment.unit, [role])]


@transaction.atomic
def transition(assessment: Assessment, user: User, action: Action, reason: str = "") -> State:
    """Make ``action`` happen, or raise ``WorkflowError``/``AssessmentError`` saying why not."""
    given, assessment = assessment, Assessment.objects.select_for_update().get(pk=assessment.pk)
    if action is Action.SUBMIT and (missing := missing_evidence(assessment)):
        raise AssessmentError(
            "evidence or an explanation of its absence is needed for: " + ", ".join(missing)
        )
    source = State(assessment.state)
    target = move(
        source,
        action,
        roles_for(user, assessment),
        timezone.now(),
        deadlines(assessment.cycle),
        reason,
    )
    assessment.state = given.state = target
    assessment.save(update_fields=["state"])
    StateChange.objects.create(
        assessment=assessment, action=action, source=source, target=target, reason=reason, by=user
    )
    unit = assessment.unit.name_vi
    if action is Action.SUBMIT:
        _notify(
            _people(assessment, Role.APPRAISER),
            f"[parindex] {unit} đã nộp tự đánh giá / submitted its self-assessment",
            f"{unit} đã nộp bản tự đánh giá {assessment.cycle.name}.",
        )
    elif action is Action.REQUEST_EXPLANATION:
        deadline = timezone.localtime(assessment.cycle.explanation_deadline)
        _notify(
            _people(assessment, Role.FOCAL_POINT) + _people(assessment, Role.LEADER),
            f"[parindex] Yêu cầu giải trình / explanation requested: {unit}",
            f"Hội đồng thẩm định đề nghị {unit} giải trình trước {deadline:%d/%m/%Y %H:%M}.",
        )
    return target


@transaction.atomic
def appraise(
    assessment: Assessment,
    user: User,
    component_id: str,
    *,
    points: float | None,
    reason: str = "",
) -> ScoreEntry:
    """Accept the standing score (``points=None``) or set another one, with a reason."""
    if Role.APPRAISER not in roles_for(user, assessment):
        raise AssessmentError("only an appraiser assigned to this unit appraises it")
    if assessment.state not in APPRAISABLE:
        raise AssessmentError(f"an assessment that is {assessment.state} cannot be appraised")
    component = _component(assessment, component_id)
    round_ = Round.APPRAISAL_1 if assessment.state == State.SUBMITTED else Round.APPRAISAL_2
    standing = final_points(assessment).get(component_id)
    if points is None:
        points = standing
    elif points != standing and not reason.strip():
        raise AssessmentError(f"{component_id}: a changed score needs a reason")
    if points is not None and not 0 <= points <= component.spec.max_points:
        raise AssessmentError(
            f"{component_id}: points must be between 0 and {component.spec.max_points}"
        )
    return ScoreEntry.objects.create(
        assessment=assessment,
        component=component_id,
        round=round_,
        points=points,
        previous=standing,
        reason=reason,
        author=user,
    )


def request_explanation(
    assessment: Assessment, user: User, component_id: str, question: str
) -> ExplanationRequest:
    if Role.APPRAISER not in roles_for(user, assessment):
        raise AssessmentError("only an appraiser assigned to this unit asks for explanations")
    if not question.strip():
        raise AssessmentError("say what needs explaining")
    _component(assessment, component_id)
    return ExplanationRequest.objects.create(
        assessment=assessment, component=component_id, question=question, asked_by=user
    )


def answer_explanation(request: ExplanationRequest, user: User, answer: str) -> None:
    assessment = request.assessment
    if Role.FOCAL_POINT not in roles_for(user, assessment):
        raise AssessmentError("only the unit's focal point answers")
    if assessment.state not in EXPLAINABLE_BY_UNIT:
        raise AssessmentError("no explanation is being asked for now")
    if timezone.now() > assessment.cycle.explanation_deadline:
        raise AssessmentError("the explanation deadline has passed")
    request.answer = answer
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])


@transaction.atomic
def council_score(
    assessment: Assessment, user: User, component_id: str, points: float, reason: str
) -> ScoreEntry:
    if Role.COUNCIL_MEMBER not in roles_for(user, assessment):
        raise AssessmentError("only council members decide at the council")
    if assessment.state != State.APPRAISED_2:
        raise AssessmentError("the council decides on assessments appraised twice")
    if not reason.strip():
        raise AssessmentError("a council decision needs a reason")
    component = _component(assessment, component_id)
    if not 0 <= points <= component.spec.max_points:
        raise AssessmentError(f"points must be between 0 and {component.spec.max_points}")
    return ScoreEntry.objects.create(
        assessment=assessment,
        component=component_id,
        round=Round.COUNCIL,
        points=points,
        previous=final_points(assessment).get(component_id),
        reason=reason,
        author=user,
    )


def note_decision(cycle: Cycle, user: User, text: str) -> CouncilNote:
    if not has_role(user, Role.COUNCIL_MEMBER):
        raise AssessmentError("only council members record decisions")
    return CouncilNote.objects.create(cycle=cycle, text=text, by=user)


@transaction.atomic
def import_survey_points(
    cycle: Cycle, user: User, points: Mapping[str, Mapping[str, float]]
) -> int:
    """Survey components' points per unit ref (from the survey results, or a file); all or
    nothing: an unknown unit or component refuses the whole import."""
    if not (has_role(user, Role.ADMIN) or has_role(user, Role.SURVEY_MANAGER)):
        raise AssessmentError("only administrators and survey managers import survey points")
    edition = edition_of(cycle)
    survey_nodes = {
        n.id: n.max_points
        for _f, _c, n in edition.scored()
        if isinstance(n.rule, SurveyMappingRule)
    }
    by_ref = {a.unit.ref: a for a in cycle.assessments.select_related("unit")}
    entries = []
    for ref, values in points.items():
        if ref not in by_ref:
            raise AssessmentError(f"unit {ref} is not assessed in this cycle")
        for node, value in values.items():
            if node not in survey_nodes:
                raise AssessmentError(f"{node} is not a survey component of {cycle.edition}")
            if not 0 <= value <= survey_nodes[node]:
                raise AssessmentError(f"{ref} {node}: {value} is outside 0–{survey_nodes[node]}")
            entries.append(
                ScoreEntry(
                    assessment=by_ref[ref],
                    component=node,
                    round=Round.SURVEY,
                    points=value,
                    author=user,
                    reason="survey",
                )
            )
    ScoreEntry.objects.bulk_create(entries)
    return len(entries)


def score_table(cycle: Cycle) -> ScoreTable:
    """The scoring engine on every unit's standing scores."""
    edition = edition_of(cycle)
    rows, kinds = [], {}
    line = 1
    for assessment in cycle.assessments.select_related("unit").order_by("unit__ref"):
        kinds[assessment.unit.ref] = UnitKind(assessment.unit.kind)
        standing = final_points(assessment)
        for component in components(edition, assessment.unit.kind):
            line += 1
            value = standing.get(component.id)
            rows.append(
                PointsRow(
                    line, assessment.unit.ref, component.id, "" if value is None else repr(value)
                )
            )
    report = points_from_rows(edition, rows, source=f"cycle {cycle.pk}", unit_kinds=kinds)
    if report.value is None:
        raise AssessmentError("; ".join(f.message for f in report.findings[:5]))
    return compute(report.value)


@transaction.atomic
def publish(cycle: Cycle, user: User) -> dict[str, Any]:
    """Freeze the computed table with its provenance; a published cycle never changes."""
    if not has_role(user, Role.ADMIN):
        raise AssessmentError("only an administrator publishes")
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.published_at is not None:
        raise AssessmentError("this cycle is already published")
    unfinished = cycle.assessments.exclude(state=State.FINAL).count()
    if unfinished:
        raise AssessmentError(f"{unfinished} assessments are not final yet")
    table = score_table(cycle)
    names = dict(cycle.assessments.values_list("unit__ref", "unit__name_vi"))
    frozen = [
        {**asdict(result), "name_vi": names.get(result.unit, result.unit)}
        for result in table.results
    ]
    cycle.published_table = json.loads(json.dumps(frozen, default=str))
    cycle.provenance = json.loads(json.dumps(asdict(table.provenance), default=str))
    cycle.published_at = timezone.now()
    cycle.save(update_fields=["published_table", "provenance", "published_at"])
    return {"units": len(frozen)}


def progress(cycle: Cycle) -> dict[str, int]:
    counts: dict[str, int] = {state.value: 0 for state in State}
    for state in cycle.assessments.values_list("state", flat=True):
        counts[state] += 1
    return counts


def unit_assessment(cycle: Cycle, unit: Unit) -> Assessment | None:
    return cycle.assessments.filter(unit=unit).first()
