"""Points as the pages show them: two decimals in the reader's number format, "—" for none."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def points(value: float | str | None) -> str:
    return "—" if value is None or value == "" else str(floatformat(value, 2))
