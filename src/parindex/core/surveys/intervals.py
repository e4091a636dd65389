"""Confidence intervals for survey estimates, matching R's ``survey`` where it has the method.

- ``wald``: estimate ± z·SE, as ``confint(svymean(...))`` (normal quantile).
- ``logit``: on the logit scale with the design's degrees of freedom, as
  ``svyciprop(method="logit")`` (and ``"xlogit"``, which gives the same interval).
- ``beta``: Korn–Graubard, as ``svyciprop(method="beta")``.
- ``wilson``: the Wilson score interval with the effective sample size p(1−p)/Var(p)
  (R's ``survey`` has none; falls back to the number of respondents when the variance is 0).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

Method = Literal["wald", "logit", "beta", "wilson"]
Array = NDArray[np.float64]


def interval(
    method: Method,
    estimate: Array,
    se: Array,
    *,
    n: NDArray[np.int64],
    df: NDArray[np.int64],
    level: float = 0.95,
) -> tuple[Array, Array]:
    alpha = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "wald":
            z = stats.norm.ppf(1 - alpha / 2)
            return estimate - z * se, estimate + z * se
        if method == "logit":
            # With one degree of freedom R's svyglm-based interval degenerates to (0, NaN);
            # no interval is given there rather than a misleading one.
            t = stats.t.ppf(1 - alpha / 2, np.where(df > 1, df, np.nan))
            centre = np.log(estimate / (1 - estimate))
            half = t * se / (estimate * (1 - estimate))
            return _expit(centre - half), _expit(centre + half)
        if method == "beta":
            effective = estimate * (1 - estimate) / se**2
            effective = (
                effective
                * (
                    stats.t.ppf(alpha / 2, n - 1)
                    / stats.t.ppf(alpha / 2, np.where(df > 0, df, np.nan))
                )
                ** 2
            )
            low = stats.beta.ppf(alpha / 2, effective * estimate, effective * (1 - estimate) + 1)
            high = stats.beta.ppf(
                1 - alpha / 2, effective * estimate + 1, effective * (1 - estimate)
            )
            return low, high
        if method == "wilson":
            z = stats.norm.ppf(1 - alpha / 2)
            effective = np.where(se > 0, estimate * (1 - estimate) / se**2, n)
            centre = (estimate + z**2 / (2 * effective)) / (1 + z**2 / effective)
            half = z * np.sqrt(estimate * (1 - estimate) / effective + z**2 / (4 * effective**2))
            half = half / (1 + z**2 / effective)
            return centre - half, centre + half
    raise ValueError(f"unknown interval method {method!r}: wald, logit, beta or wilson")


def _expit(x: Array) -> Array:
    return np.asarray(1 / (1 + np.exp(-x)))
