"""Working days with Vietnamese public holidays, and reporting periods."""

from __future__ import annotations

from datetime import date

import pytest

from parindex.core.onestop import Period, WorkingCalendar, statutory_holidays


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 28), False),  # Tết eve (30 Tết, Ất Tỵ)
        (date(2025, 1, 31), False),  # mùng 3 Tết
        (date(2025, 2, 3), True),  # first Monday after the five Tết days
        (date(2025, 4, 7), False),  # Hùng Kings, 10/3 lunar
        (date(2025, 4, 30), False),
        (date(2025, 9, 2), False),
        (date(2025, 9, 3), True),
        (date(2025, 9, 6), False),  # Saturday
    ],
    ids=str,
)
def test_working_days_follow_the_labour_codes_holidays(day: date, working: bool) -> None:
    assert WorkingCalendar().is_working_day(day) is working


def test_the_governments_yearly_changes_are_configuration() -> None:
    # The default takes 1/9 as National day's adjacent day; a year where the Government chose 3/9
    # instead is configured by adding 3/9 and making 1/9 a working day.
    calendar = WorkingCalendar.of(
        extra_holidays=[date(2026, 9, 3)], working_days=[date(2026, 9, 1)]
    )
    assert not calendar.is_working_day(date(2026, 9, 3))
    assert calendar.is_working_day(date(2026, 9, 1))
    # A make-up Saturday counts towards a deadline.
    saturday = date(2026, 9, 5)
    assert (
        WorkingCalendar.of(working_days=[saturday]).add_working_days(date(2026, 9, 4), 1)
        == saturday
    )


def test_feedback_handled_within_15_working_days_over_tet() -> None:
    # Received Friday 24 Jan 2025; Tết days off 28 Jan – 1 Feb. Working days: 27 Jan (1), 3–7 Feb
    # (2–6), 10–14 (7–11), 17–20 (12–15): due Thursday 20 Feb.
    assert WorkingCalendar().add_working_days(date(2025, 1, 24), 15) == date(2025, 2, 20)


def test_a_year_without_lunar_dates_has_only_the_solar_holidays() -> None:
    assert len(statutory_holidays(2040)) == 5


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    period = Period.parse(text)
    assert (period.start, period.end, str(period)) == (start, end, text)


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "24", "năm 2024"])
def test_a_bad_period_is_named(text: str) -> None:
    with pytest.raises(ValueError, match=text):
        Period.parse(text)
