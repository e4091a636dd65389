"""Reporting periods: a month, a quarter or a year, as the Circular and Decision 766 report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Period:
    """``kind`` number ``number`` of ``year`` (month 1–12, quarter 1–4, year 1).

    >>> p = Period.parse("2024-Q2")
    >>> p.start, p.end, str(p)
    (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30), '2024-Q2')
    >>> Period.parse("2024-02").end, str(Period.parse("2024"))
    (datetime.date(2024, 2, 29), '2024')
    """

    kind: PeriodKind
    year: int
    number: int = 1

    def __post_init__(self) -> None:
        top = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 1}[self.kind]
        if not 1 <= self.number <= top:
            raise ValueError(f"{self.kind} number must be 1–{top}, got {self.number}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2024``, ``2024-Q2`` or ``2024-05``; ``ValueError`` naming the text otherwise."""
        try:
            if len(text) == 4:
                return cls(PeriodKind.YEAR, int(text))
            year, rest = text.split("-", 1)
            if rest.upper().startswith("Q"):
                return cls(PeriodKind.QUARTER, int(year), int(rest[1:]))
            return cls(PeriodKind.MONTH, int(year), int(rest))
        except ValueError as error:
            raise ValueError(
                f"'{text}' is not a period: expected 2024, 2024-Q2 or 2024-05"
            ) from error

    @property
    def start(self) -> date:
        if self.kind is PeriodKind.YEAR:
            return date(self.year, 1, 1)
        if self.kind is PeriodKind.QUARTER:
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, self.number, 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        if self.kind is PeriodKind.YEAR:
            return date(self.year, 12, 31)
        last_month = 3 * self.number if self.kind is PeriodKind.QUARTER else self.number
        if last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, last_month + 1, 1) - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"
