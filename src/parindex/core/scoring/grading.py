"""Groups (A/B/C/D) and grades from an edition's grading scale, on rounded values."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology import GradingScale


def grade(scale: GradingScale | None, values: NDArray[np.float64]) -> tuple[str, ...]:
    """The code of the first band each value reaches; ``""`` without a scale or a value.

    >>> from parindex.core.methodology import Grade
    >>> scale = GradingScale(bands=(Grade(code="A", min=90), Grade(code="B", min=80), Grade(code="C", min=70)))
    >>> grade(scale, np.array([90.0, 89.99, 70.0, 69.99, np.nan]))
    ('A', 'B', 'C', '', '')
    """
    if scale is None:
        return ("",) * len(values)
    codes = []
    for value in values:
        code = ""
        if not np.isnan(value):
            for band in scale.bands:
                if value >= band.min:
                    code = band.code
                    break
        codes.append(code)
    return tuple(codes)
