"""Numbers as Vietnamese officials type them: a decimal comma ("0,75"), spaces between
thousands ("1 000"), a cell left empty."""

from __future__ import annotations

import math


def parse_number(text: object) -> float | None:
    """``None`` for an empty cell; raises ``ValueError`` for text that is not a finite number.

    >>> parse_number(" 0,75 "), parse_number("1 000"), parse_number("")
    (0.75, 1000.0, None)
    """
    cleaned = str(text).strip().replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value
