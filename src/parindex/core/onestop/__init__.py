"""One-stop counter indicators (Circular 01/2018/TT-VPCP, Decision 766/QĐ-TTg)."""

from parindex.core.onestop.calendar import WorkingCalendar, statutory_holidays
from parindex.core.onestop.d766 import D766Result, dossier_rates, feedback_rates, grade_of, score
from parindex.core.onestop.dossier import Dossier, Supplementation
from parindex.core.onestop.period import Period, PeriodKind
from parindex.core.onestop.tt01 import (
    DEVICE_INDICES,
    Tt01Result,
    dossier_scores,
    index1_from_times,
    index8_from_feedback,
    index9_from_online,
    index_scores,
    officer_result,
    unit_result,
)

__all__ = [
    "DEVICE_INDICES",
    "D766Result",
    "Dossier",
    "Period",
    "PeriodKind",
    "Supplementation",
    "Tt01Result",
    "WorkingCalendar",
    "dossier_rates",
    "dossier_scores",
    "feedback_rates",
    "grade_of",
    "index1_from_times",
    "index8_from_feedback",
    "index9_from_online",
    "index_scores",
    "officer_result",
    "score",
    "statutory_holidays",
    "unit_result",
]
