"""Citizens' feedback (phản ánh, kiến nghị — PAKN) on administrative regulations and procedures:
classified, routed to the responsible unit and answered within statutory working-day deadlines
(handled within 15, refused within 2, more information asked within 5, the answer published
within 2 working days of it), then published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from parindex.core.errors import ParindexError
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


class InfoClock(StrEnum):
    """What a request for more information does to the 15-working-day handling deadline.

    METHODS.md §5 gives the four windows (handle 15, refuse 2, ask for more 5, publish 2 working
    days) and no rule on whether asking for more stops the handling clock; docs/onestop.md kept
    it running. The rule is therefore a setting (``PARINDEX_FEEDBACK_INFO_CLOCK``), not a fact.
    """

    RUNS = "runs"
    """The deadline stays 15 working days from receipt (the default: no source says otherwise)."""
    SUSPENDED = "suspended"
    """The clock stops after the day of the request and starts again the day after the
    information arrives: the deadline moves by the working days waited."""
    RESTARTED = "restarted"
    """15 working days are counted afresh from the day the information arrives."""


def handle_due_after_information(
    rule: InfoClock,
    handle_due: date,
    requested_on: date,
    supplied_on: date,
    calendar: WorkingCalendar,
) -> date:
    """The handling deadline once the sender has supplied the information asked for.

    Received Thursday 5/2/2026 (due Thu 5/3/2026: Tết's Mon 16/2–Fri 20/2 are off), more asked
    on Mon 9/2, supplied on Wed 25/2. Waited: Tue 10/2–Fri 13/2 and Mon 23/2–Wed 25/2, 7 working
    days, so suspended the deadline is 5/3 + 7 working days = Mon 16/3; restarted it is 15
    working days from 25/2 = Wed 18/3.

    >>> cal = WorkingCalendar()
    >>> due = Deadlines.from_received(date(2026, 2, 5), cal).handle
    >>> due
    datetime.date(2026, 3, 5)
    >>> handle_due_after_information(InfoClock.RUNS, due, date(2026, 2, 9), date(2026, 2, 25), cal)
    datetime.date(2026, 3, 5)
    >>> handle_due_after_information(
    ...     InfoClock.SUSPENDED, due, date(2026, 2, 9), date(2026, 2, 25), cal)
    datetime.date(2026, 3, 16)
    >>> handle_due_after_information(
    ...     InfoClock.RESTARTED, due, date(2026, 2, 9), date(2026, 2, 25), cal)
    datetime.date(2026, 3, 18)
    """
    if rule is InfoClock.SUSPENDED:
        waited = calendar.working_days_between(requested_on, supplied_on)
        return calendar.add_working_days(handle_due, waited)
    if rule is InfoClock.RESTARTED:
        return max(handle_due, calendar.add_working_days(supplied_on, WORKING_DAYS[Step.HANDLE]))
    return handle_due


def handling_paused(stage: Stage, rule: InfoClock) -> bool:
    """Whether the handling deadline cannot lapse now: while the sender has not yet supplied the
    information asked for, under a rule that stops or restarts the clock."""
    return stage is Stage.INFO_REQUESTED and rule is not InfoClock.RUNS


def publish_deadline(answered: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(answered, WORKING_DAYS[Step.PUBLISH])


class Stage(StrEnum):
    """Where a feedback item stands (the server stores these values)."""

    RECEIVED = "received"
    INFO_REQUESTED = "info_requested"
    REFUSED = "refused"
    ANSWERED = "answered"
    PUBLISHED = "published"


OPEN_STAGES = frozenset({Stage.RECEIVED, Stage.INFO_REQUESTED})


class DeadlinePassed(ParindexError):
    """A step whose statutory window has closed: a refusal after 2 working days, a request for
    more information after 5 (the item then stands accepted and must be handled)."""

    def __init__(self, step: Step, due: date, on: date) -> None:
        super().__init__(
            f"the {step} window closed on {due.isoformat()} ({on.isoformat()} is late)"
        )
        self.step = step
        self.due = due
        self.on = on


def check_window(step: Step, deadlines: Deadlines, on: date) -> None:
    """Refuse a refusal or a request for more information made after its window.

    Received Thursday 5/2/2026, the eve of a weekend and then of Tết (Mon 16/2 to Fri 20/2 are
    off): the 2 working days to refuse are Fri 6/2 and Mon 9/2, so a refusal on Tue 10/2 is late.

    >>> d = Deadlines.from_received(date(2026, 2, 5), WorkingCalendar())
    >>> check_window(Step.REFUSE, d, date(2026, 2, 9))
    >>> check_window(Step.REFUSE, d, date(2026, 2, 10))
    Traceback (most recent call last):
    ...
    parindex.core.onestop.feedback.DeadlinePassed: the refuse window closed on 2026-02-09 (2026-02-10 is late)
    """
    due = {Step.REFUSE: deadlines.refuse, Step.REQUEST_INFO: deadlines.request_info}[step]
    if on > due:
        raise DeadlinePassed(step, due, on)


@dataclass(frozen=True, slots=True)
class Lapse:
    """A statutory deadline missed: the step, its due day and the working days past it."""

    step: Step
    due: date
    working_days_late: int


def lapses(
    stage: Stage,
    handle_due: date,
    answered_on: date | None,
    publish_due: date | None,
    published_on: date | None,
    as_of: date,
    calendar: WorkingCalendar,
    rule: InfoClock = InfoClock.RUNS,
) -> list[Lapse]:
    """The deadlines an item has missed as of ``as_of``: handling (an open item past its 15
    working days, or an answer or refusal given after them; not while the sender owes the
    information asked for under a ``rule`` that stops the clock) and publication (an answer not
    published within 2 working days, or published later)."""
    found: list[Lapse] = []
    handled = answered_on if stage not in OPEN_STAGES else None
    handled_by = handled if handled is not None else as_of
    if handled_by > handle_due and not handling_paused(stage, rule):
        found.append(
            Lapse(Step.HANDLE, handle_due, calendar.working_days_between(handle_due, handled_by))
        )
    if stage in (Stage.ANSWERED, Stage.PUBLISHED) and publish_due is not None:
        published_by = published_on if published_on is not None else as_of
        if published_by > publish_due:
            late = calendar.working_days_between(publish_due, published_by)
            found.append(Lapse(Step.PUBLISH, publish_due, late))
    return found


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
