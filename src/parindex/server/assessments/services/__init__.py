"""The determination's transactions, one module per concept: who sees what (``visibility``),
scores of every round (``scores``), evidence and explanations (``evidence``), workflow moves
(``moves``), field pages (``entries``), cycle overviews (``overview``), survey points,
computation and publication (``publication``) and deadline reminders (``reminders``).

Views call these functions and show what they return or refuse; permission checks are made
here, through ``visibility`` (which asks the accounts app's rules for reach over units).
"""

from __future__ import annotations

from parindex.server.assessments.services.cycle import (
    AssessmentError,
    Component,
    component_of,
    components,
    deadlines,
    edition_of,
)
from parindex.server.assessments.services.entries import (
    Entry,
    FieldSheet,
    Typed,
    field_sheet,
    save_field,
)
from parindex.server.assessments.services.evidence import (
    add_evidence,
    answer_explanation,
    missing_evidence,
    request_explanation,
    store_evidence,
)
from parindex.server.assessments.services.moves import (
    WORKFLOW_REFUSALS,
    allowed_actions,
    progress,
    refusal,
    transition,
)
from parindex.server.assessments.services.overview import (
    CouncilRow,
    CycleRow,
    Summary,
    council_rows,
    cycle_rows,
    cycles_for,
    summary,
)
from parindex.server.assessments.services.publication import (
    PreviewRow,
    import_onestop_points,
    import_survey_points,
    note_decision,
    onestop_components,
    preview,
    previous_cycle,
    previous_results,
    publish,
    score_table,
)
from parindex.server.assessments.services.reminders import REMINDER_DAYS, send_reminders
from parindex.server.assessments.services.scores import (
    appraise,
    check_self_editable,
    council_score,
    final_points,
    rule_points,
    save_self_score,
    score_board,
)
from parindex.server.assessments.services.totals import FieldTotal, Totals, totals_for, totals_of
from parindex.server.assessments.services.visibility import (
    can_view,
    manages,
    may,
    open_assessments,
    roles_for,
    visible_assessments,
)
from parindex.server.assessments.services.workbooks import (
    appraisal_table,
    export_sheet,
    finding_text,
    import_sheet,
    import_survey_file,
)

__all__ = [
    "REMINDER_DAYS",
    "WORKFLOW_REFUSALS",
    "AssessmentError",
    "Component",
    "CouncilRow",
    "CycleRow",
    "Entry",
    "FieldSheet",
    "FieldTotal",
    "PreviewRow",
    "Summary",
    "Totals",
    "Typed",
    "add_evidence",
    "allowed_actions",
    "answer_explanation",
    "appraisal_table",
    "appraise",
    "can_view",
    "check_self_editable",
    "component_of",
    "components",
    "council_rows",
    "council_score",
    "cycle_rows",
    "cycles_for",
    "deadlines",
    "edition_of",
    "export_sheet",
    "field_sheet",
    "final_points",
    "finding_text",
    "holds",
    "import_onestop_points",
    "import_sheet",
    "import_survey_file",
    "import_survey_points",
    "manages",
    "may",
    "missing_evidence",
    "note_decision",
    "onestop_components",
    "open_assessments",
    "preview",
    "previous_cycle",
    "previous_results",
    "progress",
    "publish",
    "refusal",
    "request_explanation",
    "roles_for",
    "rule_points",
    "save_field",
    "save_self_score",
    "score_board",
    "score_table",
    "send_reminders",
    "store_evidence",
    "summary",
    "totals_for",
    "totals_of",
    "transition",
    "visible_assessments",
]
