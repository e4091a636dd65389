"""A plan as an Excel workbook: the actions to carry out, with numbers as numbers."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from parindex.core.plans import ActionStatus
from parindex.server.plans.models import STATUS_LABELS, ImprovementPlan


def plan_workbook(plan: ImprovementPlan, names: dict[str, str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Plan")[:31]
    sheet.append([_("Improvement plan of {unit}").format(unit=plan.unit.name_vi)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Target"), plan.target, _("Index % needed"), plan.needed_pct])
    sheet.append(
        [_("Index % now"), plan.baseline_pct, _("Index % with the plan"), plan.planned_pct]
    )
    sheet.append([])
    header = [
        _("Component"),
        _("Name"),
        _("Points now"),
        _("Target points"),
        _("Responsible unit"),
        _("Responsible person"),
        _("Deadline"),
        _("Status"),
        _("Evidence of completion"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for action in plan.actions.select_related("responsible_unit"):
        sheet.append(
            [
                action.component,
                names.get(action.component, ""),
                action.current_points,
                action.target_points,
                action.responsible_unit.name_vi if action.responsible_unit else "",
                action.responsible_person,
                action.deadline,
                str(STATUS_LABELS[ActionStatus(action.status)]),
                action.evidence,
            ]
        )
        if action.deadline is not None:
            sheet.cell(sheet.max_row, 7).number_format = "DD/MM/YYYY"
    sheet.append([])
    sheet.append([_("Keep at maximum"), ", ".join(plan.keep_at_maximum)])
    for column, width in zip("ABCDEFGHI", (12, 50, 12, 12, 30, 25, 12, 16, 40), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
