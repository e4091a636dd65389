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
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.assessment.workflow import (
    APPRAISABLE,
    EDITABLE_BY_UNIT,
    EXPLAINABLE_BY_UNIT,
    Action,
    Deadlines,
    State,
    WorkflowError,
    move,
)
from parindex.core.methodology import Edition, diff_editions, load_shipped
from parindex.core.methodology.nodes import ScoringSpec
from parindex.core.methodology.rules import ManualRule, Ratio, SurveyMappingRule, YesNoRule
from parindex.core.numbers import parse_number
from parindex.core.roles import Role
from parindex.core.scoring.compare import PreviousResult, UnitChange, year_on_year
from parindex.core.scoring.points import PointsRow, points_from_rows
from parindex.core.scoring.scoretable import ScoreTable, UnitResult, compute
from parindex.core.scoring.why import UnitWhy, why
from parindex.core.units import UnitKind
from parindex.server.accounts import permissions
from parindex.server.accounts.models import Unit, User
from parindex.server.accounts.services import user_reaches
from parindex.server.assessments.models import (
    Assessment,
    CouncilNote,
    Cycle,
    DeadlineReminder,
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
    """A step refused, with the reason for the person who tried it (in their language)."""


def _out_of_range(component_id: str, max_points: float) -> str:
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


def roles_for(user: User, assessment: Assessment) -> frozenset[Role]:
    """The roles ``user`` plays for this unit's assessment (held at or above its unit)."""
    return permissions.assessment_roles(user, assessment)


def can_view(user: User, assessment: Assessment) -> bool:
    """The rule ``assessments.view_assessment`` (``accounts.permissions``)."""
    return permissions.allows(user, "assessments.view_assessment", assessment)


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
        try:
            value = parse_number(inputs.get(name, ""))
        except ValueError:
            value = None
        if value is None:
            raise AssessmentError(_("'{name}' must be a number").format(name=name))
        values[name] = value
    if "numerator" in values:
        return rule.score(spec.max_points, Ratio(values["numerator"], values["denominator"]))
    value = next(iter(values.values()))
    return rule.score(spec.max_points, value)


def _require_open(assessment: Assessment) -> None:
    if not assessment.cycle.is_open:
        raise AssessmentError(_("this assessment cycle is not open"))


def component_of(assessment: Assessment, component_id: str) -> Component:
    for component in components(edition_of(assessment.cycle), assessment.unit.kind):
        if component.id == component_id:
            return component
    raise AssessmentError(_("no component {id} for this unit").format(id=component_id))


def check_self_editable(assessment: Assessment, user: User) -> None:
    """Refuse unless ``user`` may write this unit's self-assessment now."""
    _require_open(assessment)
    if Role.FOCAL_POINT not in roles_for(user, assessment):
        raise AssessmentError(_("only the unit's focal point fills in its self-assessment"))
    if assessment.state not in EDITABLE_BY_UNIT:
        raise AssessmentError(_("the self-assessment can be changed only while it is a draft"))


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
    check_self_editable(assessment, user)
    component = component_of(assessment, component_id)
    rule = component.spec.rule
    if isinstance(rule, SurveyMappingRule):
        raise AssessmentError(_("this component is scored from the survey"))
    if not isinstance(rule, ManualRule):
        # A computed component takes its indicator, never points typed over the rule.
        points = rule_points(component.spec, inputs or {})
    if points is not None and not 0 <= points <= component.spec.max_points:
        raise AssessmentError(_out_of_range(component_id, component.spec.max_points))
    before = score_board(assessment).get(component_id, {}).get(Round.SELF)
    if (
        before is not None
        and before.points == points
        and before.inputs == dict(inputs or {})
        and before.explanation == explanation
    ):
        return before  # saving a page again appends nothing: history shows only changes
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
            _(
                "{name}: evidence must be PDF, an Office document or an image (not '{suffix}')"
            ).format(name=name, suffix=suffix)
        )
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise AssessmentError(_("{name}: larger than 20 MB").format(name=name))
    if upload.size == 0:
        raise AssessmentError(_("{name}: the file is empty").format(name=name))
    head = upload.read(8)
    upload.seek(0)
    expected = MAGIC.get(content_type, (ZIP_MAGIC,))
    if not head.startswith(expected):
        raise AssessmentError(
            _("{name}: the content is not a {suffix} file").format(name=name, suffix=suffix)
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return content_type, digest.hexdigest()


@transaction.atomic
def add_evidence(
    assessment: Assessment, user: User, component_id: str, upload: UploadedFile
) -> Evidence:
    _require_open(assessment)
    roles = roles_for(user, assessment)
    if Role.FOCAL_POINT not in roles:
        raise AssessmentError(_("only the unit's focal point adds evidence"))
    if assessment.state in EDITABLE_BY_UNIT:
        round_ = Round.SELF
    elif assessment.state in EXPLAINABLE_BY_UNIT:
        round_ = Round.APPRAISAL_1  # evidence given with the explanation
    else:
        raise AssessmentError(_("evidence can be added to a draft or with an explanation"))
    component_of(assessment, component_id)
    return store_evidence(assessment, user, component_id, upload, round_)


def store_evidence(
    assessment: Assessment, user: User, component_id: str, upload: UploadedFile, round_: Round
) -> Evidence:
    """Check the file and store it under its hash; who may add it is the caller's business
    (``add_evidence`` for people, the demo for its generated files)."""
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
    _require_open(assessment)
    if action is Action.SUBMIT and (missing := missing_evidence(assessment)):
        raise AssessmentError(
            _("evidence or an explanation of its absence is needed for: {ids}").format(
                ids=", ".join(missing)
            )
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
    _require_open(assessment)
    if Role.APPRAISER not in roles_for(user, assessment):
        raise AssessmentError(_("only an appraiser assigned to this unit appraises it"))
    if assessment.state not in APPRAISABLE:
        raise AssessmentError(_("this assessment cannot be appraised in its present state"))
    component = component_of(assessment, component_id)
    round_ = Round.APPRAISAL_1 if assessment.state == State.SUBMITTED else Round.APPRAISAL_2
    standing = final_points(assessment).get(component_id)
    if points is None:
        points = standing
    elif points != standing and not reason.strip():
        raise AssessmentError(_("{id}: a changed score needs a reason").format(id=component_id))
    if points is not None and not 0 <= points <= component.spec.max_points:
        raise AssessmentError(_out_of_range(component_id, component.spec.max_points))
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
    _require_open(assessment)
    if Role.APPRAISER not in roles_for(user, assessment):
        raise AssessmentError(_("only an appraiser assigned to this unit asks for explanations"))
    if not question.strip():
        raise AssessmentError(_("say what needs explaining"))
    component_of(assessment, component_id)
    return ExplanationRequest.objects.create(
        assessment=assessment, component=component_id, question=question, asked_by=user
    )


def answer_explanation(request: ExplanationRequest, user: User, answer: str) -> None:
    assessment = request.assessment
    _require_open(assessment)
    if Role.FOCAL_POINT not in roles_for(user, assessment):
        raise AssessmentError(_("only the unit's focal point answers"))
    if assessment.state not in EXPLAINABLE_BY_UNIT:
        raise AssessmentError(_("no explanation is being asked for now"))
    if timezone.now() > assessment.cycle.explanation_deadline:
        raise AssessmentError(_("the explanation deadline has passed"))
    request.answer = answer
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])


@transaction.atomic
def council_score(
    assessment: Assessment, user: User, component_id: str, points: float, reason: str
) -> ScoreEntry:
    _require_open(assessment)
    if Role.COUNCIL_MEMBER not in roles_for(user, assessment):
        raise AssessmentError(_("only council members decide at the council"))
    if assessment.state != State.APPRAISED_2:
        raise AssessmentError(_("the council decides on assessments appraised twice"))
    if not reason.strip():
        raise AssessmentError(_("a council decision needs a reason"))
    component = component_of(assessment, component_id)
    if not 0 <= points <= component.spec.max_points:
        raise AssessmentError(_out_of_range(component_id, component.spec.max_points))
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
    if not permissions.allows(user, "assessments.record_council_decision", cycle):
        raise AssessmentError(_("only council members record decisions"))
    return CouncilNote.objects.create(cycle=cycle, text=text, by=user)


@transaction.atomic
def import_survey_points(
    cycle: Cycle, user: User, points: Mapping[str, Mapping[str, float]]
) -> int:
    """Survey components' points per unit ref (from the survey results, or a file); all or
    nothing: an unknown unit or component refuses the whole import."""
    if not permissions.allows(user, "assessments.import_survey_points", cycle):
        raise AssessmentError(_("only administrators and survey managers import survey points"))
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
            raise AssessmentError(_("unit {ref} is not assessed in this cycle").format(ref=ref))
        for node, value in values.items():
            if node not in survey_nodes:
                raise AssessmentError(
                    _("{node} is not a survey component of {edition}").format(
                        node=node, edition=cycle.edition
                    )
                )
            if not 0 <= value <= survey_nodes[node]:
                raise AssessmentError(f"{ref} · " + _out_of_range(node, survey_nodes[node]))
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
    """The scoring engine on every unit's standing scores (none: 0 points)."""
    edition = edition_of(cycle)
    rows, kinds = [], {}
    line = 1
    for assessment in cycle.assessments.select_related("unit").order_by("unit__ref"):
        kinds[assessment.unit.ref] = UnitKind(assessment.unit.kind)
        standing = final_points(assessment)
        for component in components(edition, assessment.unit.kind):
            line += 1
            # A component nobody scored earns nothing: the unit claimed no points for it and no
            # round awarded any. (The preview of a cycle in progress shows it so, too.)
            value = standing.get(component.id, 0.0)
            rows.append(PointsRow(line, assessment.unit.ref, component.id, repr(value)))
    report = points_from_rows(edition, rows, source=f"cycle {cycle.pk}", unit_kinds=kinds)
    if report.value is None:
        raise AssessmentError("; ".join(f.message for f in report.findings[:5]))
    return compute(report.value)


@transaction.atomic
def publish(cycle: Cycle, user: User) -> dict[str, Any]:
    """Freeze the computed table with its provenance; a published cycle never changes."""
    if not permissions.allows(user, "assessments.publish_cycle", cycle):
        raise AssessmentError(_("only an administrator publishes"))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.published_at is not None:
        raise AssessmentError(_("this cycle is already published"))
    unfinished = cycle.assessments.exclude(state=State.FINAL).count()
    if unfinished:
        raise AssessmentError(_("assessments not final yet: {count}").format(count=unfinished))
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


def open_assessments(user: User, role: Role, limit: int = 100) -> list[Assessment]:
    """The assessments of unpublished cycles that ``user`` works on in ``role``."""
    found = []
    query = Assessment.objects.filter(cycle__published_at__isnull=True).select_related(
        "cycle", "unit"
    )
    if role is Role.APPRAISER:
        query = query.filter(appraisers=user)
    for assessment in query.order_by("-cycle__year", "unit__code"):
        if role in roles_for(user, assessment) and can_view(user, assessment):
            found.append(assessment)
            if len(found) == limit:
                break
    return found


def unit_assessment(cycle: Cycle, unit: Unit) -> Assessment | None:
    return cycle.assessments.filter(unit=unit).first()


WORKFLOW_REFUSALS = {
    "role": gettext_lazy("your role does not allow this step"),
    "state": gettext_lazy("this step is not possible in the assessment's present state"),
    "self_deadline": gettext_lazy(
        "the self-assessment deadline has passed; an administrator can reopen it"
    ),
    "explanation_deadline": gettext_lazy("the explanation deadline has passed"),
    "reopen_reason": gettext_lazy("reopening needs a reason"),
    "appraisal_deadline": gettext_lazy(
        "the appraisal deadline has passed; an administrator can extend it"
    ),
}


def refusal(error: Exception) -> str:
    """What to tell the user about a refused step, in their language."""
    if isinstance(error, WorkflowError):
        return str(WORKFLOW_REFUSALS.get(error.code, error))
    return str(error)


def allowed_actions(assessment: Assessment, user: User) -> list[Action]:
    """The workflow steps ``user`` may take now (checks that need the step's input, such as a
    reopening's reason or missing evidence, are made when the step is taken)."""
    roles = roles_for(user, assessment)
    now, limits = timezone.now(), deadlines(assessment.cycle)
    allowed = []
    for action in Action:
        try:
            move(State(assessment.state), action, roles, now, limits, reason="?")
        except WorkflowError:
            continue
        allowed.append(action)
    return allowed


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


def _family(edition_id: str) -> str:
    return edition_id.split("/", 1)[0]


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The latest published cycle of the same index before this one."""
    earlier = Cycle.objects.filter(year__lt=cycle.year, published_at__isnull=False).order_by(
        "-year"
    )
    return next((c for c in earlier if _family(c.edition) == _family(cycle.edition)), None)


def previous_results(cycle: Cycle) -> dict[str, PreviousResult]:
    before = previous_cycle(cycle)
    if before is None or not before.published_table:
        return {}
    return {
        row["unit"]: PreviousResult(
            row["unit"],
            row.get("index_pct"),
            row.get("rank"),
            row.get("group", ""),
            row.get("field_pct"),
            row.get("field_rank"),
        )
        for row in before.published_table
    }


@dataclass(frozen=True)
class PreviewRow:
    result: UnitResult
    name: str
    change: UnitChange
    why: UnitWhy


def preview(cycle: Cycle) -> list[PreviewRow]:
    """The table as it would be published: ranks, groups, change since the previous published
    cycle (fields compared only where the edition diff says they are comparable) and why."""
    table = score_table(cycle)
    before = previous_cycle(cycle)
    diff = None
    if before is not None and before.edition != cycle.edition:
        diff = diff_editions(edition_of(before), edition_of(cycle))
    changes = {c.unit: c for c in year_on_year(table, previous_results(cycle), diff)}
    explained = why(table)
    names = dict(cycle.assessments.values_list("unit__ref", "unit__name_vi"))
    rows = [
        PreviewRow(
            result,
            names.get(result.unit, result.unit),
            changes[result.unit],
            explained.for_unit(result.unit),
        )
        for result in table.results
    ]
    return sorted(rows, key=lambda r: (r.result.rank is None, r.result.rank or 0, r.name))


REMINDER_DAYS = (7, 1)
"""Reminders go out this many days before each deadline (once each)."""
REMINDER_LABELS = {
    "self_assessment": "nộp tự đánh giá",
    "explanation": "giải trình",
    "appraisal": "thẩm định",
}


def send_reminders(now: datetime | None = None) -> int:
    """E-mail whoever still has to act before a deadline that is near: focal points and leaders
    of unsubmitted self-assessments and of unanswered explanations, appraisers of units waiting
    for them. Each reminder goes once (recorded); run it daily. Returns the e-mails sent."""
    now = now or timezone.now()
    sent = 0
    waiting = {
        "self_assessment": ((State.DRAFT, State.APPROVED), (Role.FOCAL_POINT, Role.LEADER)),
        "explanation": ((State.EXPLAINING,), (Role.FOCAL_POINT, Role.LEADER)),
        "appraisal": (
            (State.SUBMITTED, State.APPRAISED_1, State.EXPLAINED),
            (Role.APPRAISER,),
        ),
    }
    for cycle in Cycle.objects.filter(is_open=True, published_at__isnull=True):
        for kind, (states, roles) in waiting.items():
            deadline = getattr(cycle, f"{kind}_deadline")
            due = [d for d in REMINDER_DAYS if deadline - timedelta(days=d) <= now < deadline]
            if not due:
                continue
            for assessment in cycle.assessments.filter(state__in=states).select_related("unit"):
                done = set(
                    assessment.reminders.filter(kind=kind).values_list("days_before", flat=True)
                )
                if set(due) <= done:
                    continue
                recipients = [a for role in roles for a in _people(assessment, role)]
                local = timezone.localtime(deadline)
                _notify(
                    recipients,
                    f"[parindex] Nhắc hạn / deadline reminder: {assessment.unit.name_vi}",
                    f"{cycle.name}: hạn {REMINDER_LABELS[kind]} là {local:%d/%m/%Y %H:%M}.\n"
                    f"{cycle.name}: the {kind.replace('_', ' ')} deadline is "
                    f"{local:%Y-%m-%d %H:%M}.",
                )
                sent += bool([r for r in recipients if r])
                DeadlineReminder.objects.bulk_create(
                    [
                        DeadlineReminder(assessment=assessment, kind=kind, days_before=d)
                        for d in due
                        if d not in done
                    ]
                )
    return sent
