"""Workbooks of the determination: a unit's scoring sheet (out, and back in filled), the whole
appraisal table, and survey points read from a CSV or Excel file. What is wrong in an uploaded
file comes back as a report of findings, all at once; refusals of the person (role, state) are
raised as ``AssessmentError``."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core.assessment.sheet import SelfScore, read_scoring_sheet
from parindex.core.findings import Finding, Report
from parindex.core.methodology.rules import ManualRule
from parindex.core.numbers import parse_number
from parindex.core.tabular import TableError, read_table
from parindex.reports.appraisal_table import Cell, Wording, appraisal_workbook
from parindex.reports.scoring_sheet import scoring_sheet
from parindex.server.accounts.models import User
from parindex.server.assessments.labels import state_label
from parindex.server.assessments.models import Assessment, Cycle, Round
from parindex.server.assessments.services import publication
from parindex.server.assessments.services.cycle import AssessmentError, components, edition_of
from parindex.server.assessments.services.scores import (
    check_self_editable,
    final_points,
    save_self_score,
    score_board,
)
from parindex.server.assessments.services.totals import totals_of
from parindex.server.assessments.services.visibility import can_view

MAX_SHEET_BYTES = 10 * 1024 * 1024


def finding_text(finding: Finding) -> str:
    """A finding as the person who uploaded the file reads it."""
    if finding.line is None:
        return _("{file}: {message}").format(file=finding.file, message=finding.message)
    return _("{file}, row {line}: {message}").format(
        file=finding.file, line=finding.line, message=finding.message
    )


def _refused(source: str, message: str) -> Report[int]:
    return Report(None, (Finding("upload", message, source),))


def export_sheet(assessment: Assessment) -> bytes:
    edition = edition_of(assessment.cycle)
    scores = {}
    for component, rounds in score_board(assessment).items():
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
        [c.id for c in components(edition, assessment.unit.kind)],
        scores,
    )


def read_sheet(assessment: Assessment, name: str, data: bytes) -> Report[dict[str, SelfScore]]:
    """What a filled-in sheet says, read and checked (no transaction: nothing is written)."""
    if len(data) > MAX_SHEET_BYTES:
        return Report(None, _refused(name, _("larger than 10 MB")).findings)
    edition = edition_of(assessment.cycle)
    specs = {c.id: c.spec for c in components(edition, assessment.unit.kind)}
    return read_scoring_sheet(data, name, edition, assessment.unit.ref, specs)


@transaction.atomic
def save_sheet(
    assessment: Assessment, user: User, scores: dict[str, SelfScore], name: str
) -> Report[int]:
    """Save a read sheet's scores, all or nothing: the components changed, or the refusal."""
    check_self_editable(assessment, user)
    specs = {c.id: c.spec for c in components(edition_of(assessment.cycle), assessment.unit.kind)}
    before = assessment.scores.count()
    for component, score in scores.items():
        try:
            if isinstance(specs[component].rule, ManualRule):
                save_self_score(
                    assessment,
                    user,
                    component,
                    points=score.points,
                    explanation=score.explanation,
                )
            else:
                save_self_score(
                    assessment,
                    user,
                    component,
                    inputs=score.inputs or None,
                    explanation=score.explanation,
                )
        except AssessmentError as error:
            transaction.set_rollback(True)
            return Report(None, (Finding("upload", str(error), name, None, component),))
    return Report(assessment.scores.count() - before)  # rows left as they were do not count


def import_sheet(assessment: Assessment, user: User, upload: UploadedFile[bytes]) -> Report[int]:
    """Read the filled-in sheet (outside any transaction), then save what it says, all or
    nothing: the components changed, or every finding in the file. The site runs the same two
    steps as a background job (``assessments/jobs.py``)."""
    check_self_editable(assessment, user)  # before reading: the right refusal
    name = upload.name or "sheet.xlsx"
    if (upload.size or 0) > MAX_SHEET_BYTES:
        return _refused(name, _("larger than 10 MB"))
    typed = read_sheet(assessment, name, upload.read())
    if typed.value is None:
        return Report(None, typed.findings)
    return save_sheet(assessment, user, typed.value, name)


def upload_refusal(name: str, size: int | None) -> Report[int] | None:
    """What the request itself refuses of a points file: its kind and its size."""
    if Path(name).suffix.lower() not in (".csv", ".xlsx"):
        return _refused(name, _("use a CSV or .xlsx file"))
    if (size or 0) > MAX_SHEET_BYTES:
        return _refused(name, _("larger than 10 MB"))
    return None


def read_survey_points(name: str, data: bytes) -> Report[dict[str, dict[str, float]]]:
    """Columns ``unit`` (the unit's code, e.g. province:20), ``component`` and ``points``; CSV
    or .xlsx; decimal comma accepted. Every row that is not a number is reported together."""
    try:
        table = read_table(Path(name), data)
        units, nodes, values = (table.column(c) for c in ("unit", "component", "points"))
    except TableError as error:
        return Report(None, _refused(name, str(error)).findings)
    points: dict[str, dict[str, float]] = {}
    findings = []
    for number, (unit, node, text) in enumerate(zip(units, nodes, values, strict=True), start=2):
        try:
            value = parse_number(text)
        except ValueError:
            value = None
        if value is None:
            message = _("'{value}' is not a number").format(value=text)
            findings.append(Finding("invalid-value", message, name, number, node))
        else:
            points.setdefault(unit, {})[node] = value
    if findings:
        return Report(None, tuple(findings))
    return Report(points)


def store_survey_points(
    cycle: Cycle, user: User, points: dict[str, dict[str, float]], name: str
) -> Report[int]:
    try:
        return Report(publication.import_survey_points(cycle, user, points))
    except AssessmentError as error:
        return _refused(name, str(error))


def import_survey_file(cycle: Cycle, user: User, upload: UploadedFile[bytes]) -> Report[int]:
    """A points file read (outside any transaction) and stored, all or nothing."""
    name = upload.name or "points.csv"
    refused = upload_refusal(name, upload.size)
    if refused is not None:
        return refused
    read = read_survey_points(name, upload.read())
    if read.value is None:
        return Report(None, read.findings)
    return store_survey_points(cycle, user, read.value, name)


ROUNDS = (Round.SELF, Round.APPRAISAL_1, Round.APPRAISAL_2, Round.COUNCIL, Round.SURVEY)


def appraisal_table(cycle: Cycle, user: User) -> bytes:
    """Every unit and component with every round's score and reason, in the reader's language.

    It shows what the pages show ``user``: an assessment they may not open (a unit's draft, for
    the council) appears in the summary by its state only, and not at all in the detail."""
    edition = edition_of(cycle)
    summary: list[list[Cell]] = []
    detail: list[list[Cell]] = []
    for assessment in cycle.assessments.select_related("cycle", "unit").order_by("unit__ref"):
        unit = assessment.unit
        if not can_view(user, assessment):
            summary.append([unit.ref, unit.name_vi, state_label(assessment.state)])
            continue
        totals = totals_of(assessment)
        summary.append(
            [
                unit.ref,
                unit.name_vi,
                state_label(assessment.state),
                totals.self_points,
                totals.standing_points,
                totals.max_points,
                *[t.standing_points for t in totals.fields],
            ]
        )
        board = score_board(assessment)
        standing = final_points(assessment)
        files: dict[str, int] = {}
        for node in assessment.evidence.values_list("component", flat=True):
            files[node] = files.get(node, 0) + 1
        asked: dict[str, list[tuple[str, str]]] = {}
        for request in assessment.explanation_requests.order_by("id"):
            asked.setdefault(request.component, []).append((request.question, request.answer))
        for component in components(edition, unit.kind):
            rounds = board.get(component.id, {})
            line: list[Cell] = [
                unit.ref,
                unit.name_vi,
                component.id,
                component.name_vi,
                component.spec.max_points,
            ]
            for round_ in ROUNDS:
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
    wording = Wording(
        summary_sheet=_("Summary"),
        detail_sheet=_("Appraisal"),
        summary_headers=(
            _("Unit code"),
            _("Unit"),
            _("State"),
            _("Self-assessed"),
            _("Standing score"),
            _("Maximum"),
        ),
        field_header=_("Field {field}"),
        detail_headers=(_("Unit code"), _("Unit"), _("No."), _("Component"), _("Maximum")),
        round_reason=_("{round} — reason or explanation"),
        tail_headers=(
            _("Standing score"),
            _("Evidence files"),
            _("Explanation requests"),
            _("Answer"),
        ),
    )
    titles = (
        _("Self-assessed"),
        _("Appraisal round 1"),
        _("Appraisal round 2"),
        _("Council"),
        _("Survey points"),
    )
    return appraisal_workbook(wording, [f.id for f in edition.fields], titles, summary, detail)
