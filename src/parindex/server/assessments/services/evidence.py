"""Evidence files and explanations: what a unit gives to back its self-assessment, and the
answers it gives to an appraiser's questions."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.assessment.workflow import EDITABLE_BY_UNIT, EXPLAINABLE_BY_UNIT
from parindex.core.roles import Role
from parindex.server.accounts.models import User
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


def _check_upload(upload: UploadedFile[bytes]) -> tuple[str, str]:
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
