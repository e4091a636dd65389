"""The demo's PAR INDEX determinations of the 34 provinces: last year's, published, and this
year's in progress (some units still drafting, some submitted, some under appraisal or asked to
explain), with generated evidence files. Lạng Sơn, the demo focal point's province, is a draft
so that the self-assessment can be tried; the demo appraiser is assigned to every province.

Scores are synthetic and written in bulk (the history a real year would have taken months to
make); evidence goes through the same checks and storage as an upload.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parindex.core.assessment.workflow import MOVES, Action, State
from parindex.core.roles import Role
from parindex.server.accounts.models import Unit, User
from parindex.server.assessments import services
from parindex.server.assessments.models import (
    Assessment,
    Cycle,
    ExplanationRequest,
    Round,
    ScoreEntry,
    StateChange,
)
from parindex.server.demo import targets

EDITION = "par-index-province/2023"
EVIDENCE_PER_UNIT = 3
# This year's states, in the order the provinces are dealt them (Lạng Sơn first, a draft).
IN_PROGRESS = (
    [State.DRAFT] * 8
    + [State.APPROVED] * 3
    + [State.SUBMITTED] * 8
    + [State.APPRAISED_1] * 5
    + [State.EXPLAINING] * 4
    + [State.EXPLAINED] * 2
    + [State.APPRAISED_2] * 4
)
PATH = {
    State.APPROVED: (Action.APPROVE,),
    State.SUBMITTED: (Action.APPROVE, Action.SUBMIT),
    State.APPRAISED_1: (Action.APPROVE, Action.SUBMIT, Action.APPRAISE_1),
    State.EXPLAINING: (
        Action.APPROVE,
        Action.SUBMIT,
        Action.APPRAISE_1,
        Action.REQUEST_EXPLANATION,
    ),
    State.EXPLAINED: (
        Action.APPROVE,
        Action.SUBMIT,
        Action.APPRAISE_1,
        Action.REQUEST_EXPLANATION,
        Action.EXPLAIN,
    ),
    State.APPRAISED_2: (Action.APPROVE, Action.SUBMIT, Action.APPRAISE_1, Action.APPRAISE_2),
}


@dataclass(frozen=True)
class DemoCycles:
    published: Cycle
    current: Cycle
    evidence_files: int


def evidence_pdf(title: str) -> bytes:
    """A one-page PDF with a line of (ASCII) text: enough for a reader to open."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def build_assessment_cycles(
    rng: np.random.Generator, demo_province: Unit, previous: Mapping[str, float] | None = None
) -> DemoCycles:
    """Last year's published cycle and this year's in progress; ``previous`` (a province's
    index % the year before, if known) orders last year's table so that it follows on."""
    admin = User.objects.get(username=Role.ADMIN.slug)
    focal = User.objects.get(username=Role.FOCAL_POINT.slug)
    appraiser = User.objects.get(username=Role.APPRAISER.slug)
    now = timezone.now()
    provinces = list(Unit.objects.valid_on(now.date()).filter(kind="province").order_by("code"))
    provinces.sort(key=lambda u: u.pk != demo_province.pk)  # the demo province first
    refs = [u.ref for u in provinces]
    last_year = targets.ranked_targets(
        rng, refs, targets.CYCLE_AVERAGE, targets.CYCLE_GROUPS, previous
    )

    published = _cycle(now.year - 1, now - timedelta(days=300), synthetic=True)
    _fill(published, provinces, last_year, rng, admin, appraiser, [State.FINAL] * len(provinces))
    services.publish(published, admin)

    current = _cycle(now.year, now + timedelta(days=12), synthetic=True)
    current.is_open = True
    current.save(update_fields=["is_open"])
    # A year later each province has moved a little, some markedly (for "why did we fall").
    moved = {
        ref: float(np.clip(pct + rng.normal(0.6, 1.6), 78.0, 98.0))
        for ref, pct in last_year.items()
    }
    states = IN_PROGRESS + [State.DRAFT] * max(0, len(provinces) - len(IN_PROGRESS))
    _fill(current, provinces, moved, rng, admin, appraiser, states[: len(provinces)])
    files = 0
    for assessment in current.assessments.select_related("unit").order_by("unit__code"):
        if assessment.state == State.DRAFT and assessment.unit.pk != demo_province.pk:
            continue
        files += _evidence(assessment, focal if assessment.unit.pk == demo_province.pk else admin)
    return DemoCycles(published, current, files)


def _cycle(year: int, self_deadline: datetime, synthetic: bool) -> Cycle:
    return Cycle.objects.create(
        year=year,
        name=f"Chỉ số CCHC cấp tỉnh {year}",
        edition=EDITION,
        self_assessment_deadline=self_deadline,
        explanation_deadline=self_deadline + timedelta(days=20),
        appraisal_deadline=self_deadline + timedelta(days=40),
        synthetic=synthetic,
    )


def _fill(
    cycle: Cycle,
    provinces: list[Unit],
    pct: dict[str, float],
    rng: np.random.Generator,
    admin: User,
    appraiser: User,
    states: list[State],
) -> None:
    """Each province's scores, their appraised totals at ``pct``: the points a round stands at
    are drawn first, and where the appraisers lowered one the self score claimed more."""
    edition = services.edition_of(cycle)
    components = services.components(edition, "province")
    entries: list[ScoreEntry] = []
    moves: list[StateChange] = []
    requests: list[ExplanationRequest] = []
    for unit, state in zip(provinces, states, strict=True):
        assessment = Assessment.objects.create(cycle=cycle, unit=unit, state=state)
        assessment.appraisers.add(appraiser)
        standing = targets.component_points(rng, pct[unit.ref], components)
        for component in components:
            top = component.spec.max_points
            points = standing[component.id]
            if component.from_survey:
                if state in (State.DRAFT, State.APPROVED):
                    continue
                entries.append(_entry(assessment, component.id, Round.SURVEY, points, admin))
                continue
            if state == State.DRAFT and rng.random() < 0.5:
                continue  # a draft half filled in
            explanation = (
                "Hồ sơ lưu tại Văn phòng UBND tỉnh" if component.spec.evidence_required else ""
            )
            appraised = state not in (State.DRAFT, State.APPROVED, State.SUBMITTED)
            # About one score in eight claimed more than the evidence showed.
            lowered = appraised and points <= top - 0.25 and rng.random() < 0.12
            claimed = min(top, points + round(top * float(rng.uniform(0.2, 0.5)) * 4) / 4)
            if not lowered:
                entries.append(
                    _entry(assessment, component.id, Round.SELF, points, admin, explanation)
                )
                continue
            entries.append(
                _entry(assessment, component.id, Round.SELF, claimed, admin, explanation)
            )
            entries.append(
                _entry(
                    assessment,
                    component.id,
                    Round.APPRAISAL_1,
                    points,
                    appraiser,
                    reason="Tài liệu kiểm chứng chưa đủ",
                    previous=claimed,
                )
            )
            if state in (State.EXPLAINING, State.EXPLAINED):
                requests.append(
                    ExplanationRequest(
                        assessment=assessment,
                        component=component.id,
                        question="Đề nghị bổ sung văn bản chứng minh.",
                        asked_by=appraiser,
                        answer="Đã bổ sung văn bản." if state == State.EXPLAINED else "",
                        answered_at=timezone.now() if state == State.EXPLAINED else None,
                    )
                )
        source = State.DRAFT
        for action in PATH.get(state, ()) if state != State.FINAL else ():
            target = _target(action)
            moves.append(
                StateChange(
                    assessment=assessment, action=action, source=source, target=target, by=admin
                )
            )
            source = target
        if state == State.FINAL:
            moves.append(
                StateChange(
                    assessment=assessment,
                    action=Action.FINALISE,
                    source=State.APPRAISED_2,
                    target=State.FINAL,
                    by=admin,
                )
            )
    ScoreEntry.objects.bulk_create(entries)
    StateChange.objects.bulk_create(moves)
    ExplanationRequest.objects.bulk_create(requests)


def _target(action: Action) -> State:
    return MOVES[action].target


def _entry(
    assessment: Assessment,
    component: str,
    round_: Round,
    points: float,
    author: User,
    explanation: str = "",
    reason: str = "",
    previous: float | None = None,
) -> ScoreEntry:
    return ScoreEntry(
        assessment=assessment,
        component=component,
        round=round_,
        points=points,
        previous=previous,
        explanation=explanation,
        reason=reason,
        author=author,
    )


def _evidence(assessment: Assessment, uploader: User) -> int:
    """A few evidence files, stored as uploads are (checked, hashed)."""
    edition = services.edition_of(assessment.cycle)
    needing = [
        c for c in services.components(edition, assessment.unit.kind) if c.spec.evidence_required
    ][:EVIDENCE_PER_UNIT]
    unit = _ascii(assessment.unit.name_vi)
    for component in needing:
        name = f"tai-lieu-{component.id}.pdf"
        content = evidence_pdf(f"{unit} - tai lieu kiem chung {component.id} (demo)")
        services.store_evidence(
            assessment, uploader, component.id, SimpleUploadedFile(name, content), Round.SELF
        )
    return len(needing)
