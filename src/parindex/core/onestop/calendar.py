"""Working days: the unit in which statutory deadlines for dossiers and feedback are counted.

Vietnam's public holidays (Labour Code 2019, Art. 112) are New Year (1/1), Tết (five days around
the lunar new year), Hùng Kings' day (10/3 lunar), Reunification day (30/4), Labour day (1/5) and
National day (2/9 and one adjacent day). The lunar dates are a table, not a computation; the
Government's yearly decisions that move or add days off (and make-up Saturdays) are configuration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

TET: dict[int, date] = {
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}
"""First day of the lunar new year (mùng 1 Tết) by solar year."""

HUNG_KINGS: dict[int, date] = {
    2018: date(2018, 4, 25),
    2019: date(2019, 4, 14),
    2020: date(2020, 4, 2),
    2021: date(2021, 4, 21),
    2022: date(2022, 4, 10),
    2023: date(2023, 4, 29),
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
    2027: date(2027, 4, 16),
    2028: date(2028, 4, 4),
    2029: date(2029, 4, 23),
    2030: date(2030, 4, 12),
}
"""Hùng Kings' commemoration day (10th day of the 3rd lunar month) by solar year."""


def statutory_holidays(year: int) -> frozenset[date]:
    """The Labour Code's public holidays in ``year`` (lunar ones where the table has the year).

    Tết is taken as the eve and the first four days of the new year; National day as 2/9 and 1/9
    (the Government names the adjacent day each year; add or remove days through configuration).

    >>> sorted(d.isoformat() for d in statutory_holidays(2024))[:3]
    ['2024-01-01', '2024-02-09', '2024-02-10']
    >>> len(statutory_holidays(2024))
    11
    """
    days = {
        date(year, 1, 1),
        date(year, 4, 30),
        date(year, 5, 1),
        date(year, 9, 1),
        date(year, 9, 2),
    }
    if year in TET:
        days.update(TET[year] + timedelta(days=offset) for offset in range(-1, 4))
    if year in HUNG_KINGS:
        days.add(HUNG_KINGS[year])
    return frozenset(days)


@dataclass(frozen=True)
class WorkingCalendar:
    """Monday–Friday minus holidays, plus make-up working days (usually Saturdays).

    ``extra_holidays`` are days off the Government adds (bridges, compensation for a holiday on a
    weekend); ``working_days`` are weekend days declared working days in exchange.
    """

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    working_days: frozenset[date] = field(default_factory=frozenset)
    statutory: bool = True

    @classmethod
    def of(
        cls, extra_holidays: Iterable[date] = (), working_days: Iterable[date] = ()
    ) -> WorkingCalendar:
        return cls(frozenset(extra_holidays), frozenset(working_days))

    def is_working_day(self, day: date) -> bool:
        """Whether offices are open on ``day``.

        >>> cal = WorkingCalendar()
        >>> cal.is_working_day(date(2024, 9, 2)), cal.is_working_day(date(2024, 9, 4))
        (False, True)
        """
        if day in self.working_days:
            return True
        if day.weekday() >= 5 or day in self.extra_holidays:
            return False
        return not (self.statutory and day in statutory_holidays(day.year))

    def add_working_days(self, start: date, days: int) -> date:
        """The day ``days`` working days after ``start`` (``start`` itself not counted).

        A deadline of 15 working days for a feedback item received on Friday 26/4/2024 skips the
        weekend, 30/4 and 1/5 (Mon 29/4 is day 1, Thu 2/5 day 2, … Tue 21/5 day 15):

        >>> WorkingCalendar().add_working_days(date(2024, 4, 26), 15)
        datetime.date(2024, 5, 21)
        """
        if days < 0:
            raise ValueError(f"days must be zero or more, got {days}")
        day = start
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

        >>> WorkingCalendar().working_days_between(date(2024, 4, 26), date(2024, 5, 21))
        15
        """
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
