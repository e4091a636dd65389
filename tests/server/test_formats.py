"""Numbers and dates in Vietnamese formats, English formats after the switch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "number", "day"),
    [("vi", "1.234.567,89", "21/11/2026"), ("en", "1,234,567.89", "21/11/2026")],
)
def test_numbers_and_dates_follow_the_language(language: str, number: str, day: str) -> None:
    template = Template('{{ n|floatformat:2 }} | {{ d|date:"SHORT_DATE_FORMAT" }} | {{ i }}')
    with translation.override(language):
        rendered = template.render(
            Context({"n": Decimal("1234567.891"), "d": date(2026, 11, 21), "i": 40000})
        )
    assert rendered == f"{number} | {day} | {'40.000' if language == 'vi' else '40,000'}"


def test_the_long_vietnamese_date_names_day_month_and_year() -> None:
    with translation.override("vi"):
        rendered = Template('{{ d|date:"DATE_FORMAT" }}').render(Context({"d": date(2026, 4, 6)}))
    assert rendered == "Ngày 06 tháng 04 năm 2026"
