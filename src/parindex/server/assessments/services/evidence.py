"""Evidence files and explanations: what a unit gives to back its self-assessment, and the
answers it gives to an appraiser's questions."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.assessment.workflow import EDITABLE_BY_UNIT, EXPLAINABLE_BY_UNIT
from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.assessments import evidencefiles
from parindex.server.assessments.models import Assessment, Evidence, ExplanationRequest, Round
from parindex.server.assessments.services.cycle import (
    AssessmentError,
    component_of,
    components,
    edition_of,
    require_open,
)
from parindex.server.assessments.services.scores import score_board
from parindex.server.assessments.services.visibility import roles_for
from parindex.server.audit import events as audit_events


def _check_upload(upload: UploadedFile[bytes]) -> tuple[str, str]:
    try:
        return evidencefiles.check_upload(upload)
    except evidencefiles.EvidenceFileError as error:
        raise AssessmentError(str(error)) from None


@transaction.atomic
def add_evidence(
    assessment: Assessment, user: User, component_id: str, upload: UploadedFile[bytes]
) -> Evidence:
    require_open(assessment)
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
    assessment: Assessment,
    user: User,
    component_id: str,
    upload: UploadedFile[bytes],
    round_: Round,
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
    evidence.file.name = evidencefiles.keep_after_commit(sha256, upload)
    evidence.save()
    audit_events.evidence(evidence)
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


def request_explanation(
    assessment: Assessment, user: User, component_id: str, question: str
) -> ExplanationRequest:
    require_open(assessment)
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
    require_open(assessment)
    if Role.FOCAL_POINT not in roles_for(user, assessment):
        raise AssessmentError(_("only the unit's focal point answers"))
    if assessment.state not in EXPLAINABLE_BY_UNIT:
        raise AssessmentError(_("no explanation is being asked for now"))
    if timezone.now() > assessment.cycle.explanation_deadline:
        raise AssessmentError(_("the explanation deadline has passed"))
    request.answer = answer
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])
