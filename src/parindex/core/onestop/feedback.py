"""Citizens' feedback (phản ánh, kiến nghị — PAKN) on administrative regulations and procedures:
classified, routed to the responsible unit and answered within statutory working-day deadlines
(handled within 15, refused within 2, more information asked within 5, the answer published
within 2 working days of it), then published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from parindex.core.onestop.calendar import WorkingCalendar


class FeedbackKind(StrEnum):
    """What the feedback is about (Decision 766's 5.1 counts the classified ones)."""

    REGULATION = "regulation"
    """Regulations and policies."""
    PROCEDURE = "procedure"
    """An administrative procedure or dossier."""
    CONDUCT = "conduct"
    """An officer's behaviour."""
    OTHER = "other"


class Step(StrEnum):
    HANDLE = "handle"
    REFUSE = "refuse"
    REQUEST_INFO = "request_info"
    PUBLISH = "publish"


WORKING_DAYS: dict[Step, int] = {
    Step.HANDLE: 15,
    Step.REFUSE: 2,
    Step.REQUEST_INFO: 5,
    Step.PUBLISH: 2,
}
"""Statutory deadlines in working days (Decree 20/2008/NĐ-CP as amended; METHODS §5)."""


@dataclass(frozen=True, slots=True)
class Deadlines:
    handle: date
    refuse: date
    request_info: date

    @classmethod
    def from_received(cls, received: date, calendar: WorkingCalendar) -> Deadlines:
        """The deadlines of a feedback item received on ``received``.

        >>> d = Deadlines.from_received(date(2024, 4, 26), WorkingCalendar())
        >>> d.refuse, d.request_info, d.handle
        (datetime.date(2024, 5, 2), datetime.date(2024, 5, 7), datetime.date(2024, 5, 21))
        """
        return cls(
            handle=calendar.add_working_days(received, WORKING_DAYS[Step.HANDLE]),
            refuse=calendar.add_working_days(received, WORKING_DAYS[Step.REFUSE]),
            request_info=calendar.add_working_days(received, WORKING_DAYS[Step.REQUEST_INFO]),
        )


def publish_deadline(answered: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(answered, WORKING_DAYS[Step.PUBLISH])


KEYWORDS: dict[FeedbackKind, tuple[str, ...]] = {
    FeedbackKind.CONDUCT: (
        "thái độ",
        "nhũng nhiễu",
        "phiền hà",
        "gây khó khăn",
        "cán bộ",
        "tiêu cực",
    ),
    FeedbackKind.PROCEDURE: ("hồ sơ", "thủ tục", "giấy tờ", "trễ hẹn", "quá hạn", "biểu mẫu"),
    FeedbackKind.REGULATION: ("quy định", "chính sách", "nghị định", "thông tư", "luật"),
}


def suggest_kind(text: str) -> FeedbackKind | None:
    """A first guess at the classification from keywords, for the officer to confirm.

    >>> suggest_kind("Cán bộ có thái độ gây khó khăn"), suggest_kind("Hồ sơ bị trễ hẹn"), suggest_kind("xin chào")
    (<FeedbackKind.CONDUCT: 'conduct'>, <FeedbackKind.PROCEDURE: 'procedure'>, None)
    """
    lowered = text.lower()
    hits = {kind: sum(word in lowered for word in words) for kind, words in KEYWORDS.items()}
    best = max(hits, key=lambda kind: hits[kind])
    return best if hits[best] else None
