"""Workbooks of the determination: a unit's scoring sheet (out and back in), the whole appraisal
table for the administrator, and survey points read from a CSV or Excel file."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from parindex.core.assessment.sheet import (
    SelfScore,
    SheetError,
    read_scoring_sheet,
    scoring_sheet,
)
from parindex.core.methodology.rules import ManualRule
from parindex.core.numbers import parse_number
from parindex.core.tabular import TableError, read_table
from parindex.server.accounts.models import User
from parindex.server.assessments import services
from parindex.server.assessments.models import Assessment, Cycle, Round
from parindex.server.assessments.services import AssessmentError

MAX_SHEET_BYTES = 10 * 1024 * 1024


def export_sheet(assessment: Assessment) -> bytes:
    edition = services.edition_of(assessment.cycle)
    board = services.score_board(assessment)
    scores = {}
    for component, rounds in board.items():
        entry = rounds.get(Round.SELF)
        if entry is not None:
            scores[component] = SelfScore(
                entry.points, {k: str(v) for k, v in entry.inputs.items()}, entry.explanation
            )
    return scoring_sheet(
        edition,
        assessment.unit.ref,
        assessment.unit.name_vi,
        assessment.cycle.name,
        [c.id for c in services.components(edition, assessment.unit.kind)],
        scores,
    )


@transaction.atomic
def import_sheet(assessment: Assessment, user: User, upload: UploadedFile) -> int:
    """Save what the filled-in sheet says, all or nothing; returns the components changed."""
    services.check_self_editable(assessment, user)  # before reading: the right refusal
    if (upload.size or 0) > MAX_SHEET_BYTES:
        raise AssessmentError(_("{name}: larger than 10 MB").format(name=upload.name))
    edition = services.edition_of(assessment.cycle)
    specs = {c.id: c.spec for c in services.components(edition, assessment.unit.kind)}
    try:
        typed = read_scoring_sheet(
            upload.read(), upload.name or "sheet.xlsx", edition, assessment.unit.ref, specs
        )
    except SheetError as error:
        raise AssessmentError(str(error)) from None
    before = assessment.scores.count()
    for component, score in typed.items():
        try:
            if isinstance(specs[component].rule, ManualRule):
                services.save_self_score(
                    assessment,
                    user,
                    component,
                    points=score.points,
                    explanation=score.explanation,
                )
            else:
                services.save_self_score(
                    assessment,
                    user,
                    component,
                    inputs=score.inputs or None,
                    explanation=score.explanation,
                )
        except AssessmentError as error:
            raise AssessmentError(f"{upload.name}, {component}: {error}") from None
    return assessment.scores.count() - before  # rows left as they were are not counted


ROUND_COLUMNS = (
    (Round.SELF, "Tự chấm"),
    (Round.APPRAISAL_1, "Thẩm định vòng 1"),
    (Round.APPRAISAL_2, "Thẩm định vòng 2"),
    (Round.COUNCIL, "Hội đồng"),
    (Round.SURVEY, "Khảo sát"),
)


def appraisal_workbook(cycle: Cycle, user: User) -> bytes:
    """One row per unit and component with every round's score and reason, the standing
    score, evidence count and explanation requests; a summary sheet per unit and field.

    It shows what the pages show ``user``: an assessment they may not open (a unit's draft, for
    the council) appears in the summary by its state only, and not at all in the detail."""
    edition = services.edition_of(cycle)
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Tổng hợp"
    fields = [f.id for f in edition.fields]
    summary.append(
        ["Mã đơn vị", "Đơn vị", "Trạng thái", "Tự chấm", "Điểm hiện tại", "Điểm tối đa"]
        + [f"Lĩnh vực {f}" for f in fields]
    )
    detail = workbook.create_sheet("Thẩm định")
    header = ["Mã đơn vị", "Đơn vị", "STT", "Tiêu chí thành phần", "Điểm tối đa"]
    for _round, title in ROUND_COLUMNS:
        header += [title, f"{title} — lý do/giải trình"]
    header += ["Điểm hiện tại", "Số tài liệu kiểm chứng", "Yêu cầu giải trình", "Trả lời"]
    detail.append(header)
    for row in (summary, detail):
        for cell in row[1]:
            cell.font = Font(bold=True)
    for assessment in cycle.assessments.select_related("unit").order_by("unit__ref"):
        unit = assessment.unit
        if not services.can_view(user, assessment):
            summary.append([unit.ref, unit.name_vi, assessment.state])
            continue
        totals = services.field_totals(assessment)
        summary.append(
            [
                unit.ref,
                unit.name_vi,
                assessment.state,
                sum(t.self_points for t in totals),
                sum(t.standing_points for t in totals),
                sum(t.max_points for t in totals),
                *[t.standing_points for t in totals],
            ]
        )
        board = services.score_board(assessment)
        standing = services.final_points(assessment)
        files: dict[str, int] = {}
        for component in assessment.evidence.values_list("component", flat=True):
            files[component] = files.get(component, 0) + 1
        asked: dict[str, list[tuple[str, str]]] = {}
        for request in assessment.explanation_requests.order_by("id"):
            asked.setdefault(request.component, []).append((request.question, request.answer))
        for component in services.components(edition, unit.kind):
            rounds = board.get(component.id, {})
            line: list[object] = [
                unit.ref,
                unit.name_vi,
                component.id,
                component.name_vi,
                component.spec.max_points,
            ]
            for round_, _title in ROUND_COLUMNS:
                entry = rounds.get(round_)
                line += [
                    entry.points if entry else None,
                    (entry.reason or entry.explanation) if entry else None,
                ]
            questions = asked.get(component.id, [])
            line += [
                standing.get(component.id),
                files.get(component.id, 0),
                "\n".join(q for q, _a in questions) or None,
                "\n".join(a for _q, a in questions if a) or None,
            ]
            detail.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_survey_points(cycle: Cycle, user: User, upload: UploadedFile) -> int:
    """Columns ``unit`` (the unit's code, e.g. province:20), ``component`` and ``points``; CSV
    or .xlsx; decimal comma accepted. All or nothing."""
    suffix = Path(upload.name or "points.csv").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise AssessmentError(_("{name}: use a CSV or .xlsx file").format(name=upload.name))
    try:
        table = read_table(Path(upload.name or f"points{suffix}"), upload.read())
        units, nodes, values = (table.column(c) for c in ("unit", "component", "points"))
    except TableError as error:
        raise AssessmentError(str(error)) from None
    points: dict[str, dict[str, float]] = {}
    for number, (unit, node, text) in enumerate(zip(units, nodes, values, strict=True), start=2):
        try:
            value = parse_number(text)
        except ValueError:
            value = None
        if value is None:
            raise AssessmentError(
                _("{name}, row {row}: '{value}' is not a number").format(
                    name=upload.name, row=number, value=text
                )
            )
        points.setdefault(unit, {})[node] = value
    return services.import_survey_points(cycle, user, points)
