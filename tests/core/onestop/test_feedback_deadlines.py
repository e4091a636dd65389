"""Feedback (PAKN) deadlines across Tết, against dates counted by hand
(tests/golden/onestop/pakn_deadlines_tet.csv), and the lapses an item accrues."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from parindex.core.onestop import WorkingCalendar
from parindex.core.onestop.feedback import (
    DeadlinePassed,
    Deadlines,
    InfoClock,
    Lapse,
    Stage,
    Step,
    check_window,
    handle_due_after_information,
    lapses,
    publish_deadline,
)

GOLDEN = Path(__file__).parents[2] / "golden" / "onestop" / "pakn_deadlines_tet.csv"


def _cases() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _calendar(case: dict[str, str]) -> WorkingCalendar:
    extra = [date.fromisoformat(d) for d in case["extra_holidays"].split(";") if d]
    return WorkingCalendar.of(extra_holidays=extra)


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case["case"])
def test_deadlines_skip_tet_as_counted_by_hand(case: dict[str, str]) -> None:
    calendar = _calendar(case)
    deadlines = Deadlines.from_received(date.fromisoformat(case["received"]), calendar)
    assert (deadlines.refuse, deadlines.request_info, deadlines.handle) == (
        date.fromisoformat(case["refuse_by"]),
        date.fromisoformat(case["request_info_by"]),
        date.fromisoformat(case["handle_by"]),
    )
    answered = date.fromisoformat(case["answered"])
    assert publish_deadline(answered, calendar) == date.fromisoformat(case["publish_by"])


def test_refusing_or_asking_for_more_after_the_window_is_refused() -> None:
    deadlines = Deadlines.from_received(date(2026, 2, 13), WorkingCalendar())
    # Tết is not counted: on Mon 23/02 only one working day has passed.
    check_window(Step.REFUSE, deadlines, date(2026, 2, 24))
    with pytest.raises(DeadlinePassed) as refused:
        check_window(Step.REFUSE, deadlines, date(2026, 2, 25))
    assert refused.value.due == date(2026, 2, 24)
    check_window(Step.REQUEST_INFO, deadlines, date(2026, 2, 27))
    with pytest.raises(DeadlinePassed):
        check_window(Step.REQUEST_INFO, deadlines, date(2026, 3, 2))


def test_an_item_open_past_its_deadline_lapses_by_working_days() -> None:
    calendar = WorkingCalendar()
    handle_due = date(2026, 3, 13)
    # Due Fri 13/03; on Wed 18/03 it is 3 working days late (16, 17, 18).
    assert lapses(Stage.RECEIVED, handle_due, None, None, None, date(2026, 3, 18), calendar) == [
        Lapse(Step.HANDLE, handle_due, 3)
    ]
    # On its due day it is not late.
    assert lapses(Stage.RECEIVED, handle_due, None, None, None, handle_due, calendar) == []
    # Answered on time, not published by Tue 17/03: on Thu 19/03 publication is 2 days late.
    assert lapses(
        Stage.ANSWERED, handle_due, handle_due, date(2026, 3, 17), None, date(2026, 3, 19), calendar
    ) == [Lapse(Step.PUBLISH, date(2026, 3, 17), 2)]
    # Answered a day late and published in time: the late handling stays on the record.
    assert lapses(
        Stage.PUBLISHED,
        handle_due,
        date(2026, 3, 16),
        date(2026, 3, 18),
        date(2026, 3, 18),
        date(2026, 4, 1),
        calendar,
    ) == [Lapse(Step.HANDLE, handle_due, 1)]


INFO_CLOCK = Path(__file__).parents[2] / "golden" / "onestop" / "pakn_info_clock.csv"


def _clock_cases() -> list[dict[str, str]]:
    with INFO_CLOCK.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@pytest.mark.parametrize("case", _clock_cases(), ids=lambda case: case["case"])
def test_handling_deadline_after_more_information_as_counted_by_hand(
    case: dict[str, str],
) -> None:
    calendar = WorkingCalendar()
    day = {k: date.fromisoformat(v) for k, v in case.items() if k != "case"}
    due = Deadlines.from_received(day["received"], calendar).handle
    assert due == day["runs"]
    for rule in InfoClock:
        moved = handle_due_after_information(rule, due, day["requested"], day["supplied"], calendar)
        assert moved == day[rule.value], rule


def test_the_clock_waits_for_the_sender_only_under_a_rule_that_stops_it() -> None:
    calendar = WorkingCalendar()
    due = date(2026, 3, 5)
    args = (due, None, None, None, date(2026, 3, 10), calendar)
    # Still waiting for the information on Tue 10/03, 3 working days past the deadline.
    assert lapses(Stage.INFO_REQUESTED, *args) == [Lapse(Step.HANDLE, due, 3)]
    assert lapses(Stage.INFO_REQUESTED, *args, rule=InfoClock.SUSPENDED) == []
    assert lapses(Stage.INFO_REQUESTED, *args, rule=InfoClock.RESTARTED) == []
    # Once the information is in, the item is open again and the (moved) deadline counts.
    assert lapses(Stage.RECEIVED, *args, rule=InfoClock.SUSPENDED) == [Lapse(Step.HANDLE, due, 3)]
