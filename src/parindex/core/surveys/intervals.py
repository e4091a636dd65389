"""Confidence intervals for survey estimates, matching R's ``survey`` where it has the method.

- ``wald``: estimate ± z·SE, as ``confint(svymean(...))`` (normal quantile).
- ``logit``: on the logit scale with the design's degrees of freedom, as
  ``svyciprop(method="logit")`` (and ``"xlogit"``, which gives the same interval).
- ``beta``: Korn–Graubard, as ``svyciprop(method="beta")``.
- ``wilson``: the Wilson score interval with the effective sample size p(1−p)/Var(p)
  (R's ``survey`` has none; falls back to the number of respondents when the variance is 0).

Quantiles come from ``scipy.special`` (the functions ``scipy.stats`` calls underneath): importing
``scipy.stats`` costs about a second, which a command-line estimate should not pay.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import special

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
    rows: NDArray[np.int64] | None = None,
) -> tuple[Array, Array]:
    """``n``: respondents; ``rows``: rows of the domain's design with missing values and zero
    weights (R's ``nrow(design)`` in the Korn–Graubard interval; ``n`` when not given)."""
    if not 0 < level < 1:
        raise ValueError(f"the confidence level is a fraction between 0 and 1 (0.95), not {level}")
    alpha = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "wald":
            z = special.ndtri(1 - alpha / 2)
            return estimate - z * se, estimate + z * se
        if method == "logit":
            # With one degree of freedom R's svyglm-based interval degenerates to (0, NaN);
            # no interval is given there rather than a misleading one.
            t = special.stdtrit(np.where(df > 1, df, np.nan), 1 - alpha / 2)
            centre = np.log(estimate / (1 - estimate))
            half = t * se / (estimate * (1 - estimate))
            return _expit(centre - half), _expit(centre + half)
        if method == "beta":
            design_rows = n if rows is None else rows
            effective = estimate * (1 - estimate) / se**2
            effective = (
                effective
                * (
                    special.stdtrit(design_rows - 1, alpha / 2)
                    / special.stdtrit(np.where(df > 0, df, np.nan), alpha / 2)
                )
                ** 2
            )
            low = _beta_quantile(alpha / 2, effective * estimate, effective * (1 - estimate) + 1)
            high = _beta_quantile(
                1 - alpha / 2, effective * estimate + 1, effective * (1 - estimate)
            )
            return low, high
        if method == "wilson":
            z = special.ndtri(1 - alpha / 2)
            effective = np.where(se > 0, estimate * (1 - estimate) / se**2, n)
            centre = (estimate + z**2 / (2 * effective)) / (1 + z**2 / effective)
            half = z * np.sqrt(estimate * (1 - estimate) / effective + z**2 / (4 * effective**2))
            half = half / (1 + z**2 / effective)
            return centre - half, centre + half
    raise ValueError(f"unknown interval method {method!r}: wald, logit, beta or wilson")


def _beta_quantile(q: float, a: Array, b: Array) -> Array:
    # scipy.stats.beta.ppf: NaN outside its domain (a, b > 0), 0 or 1 at the ends.
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    defined = (a > 0) & (b > 0)
    value = special.betaincinv(np.where(defined, a, 1.0), np.where(defined, b, 1.0), q)
    return np.asarray(np.where(defined, value, np.nan))


def _expit(x: Array) -> Array:
    return np.asarray(1 / (1 + np.exp(-x)))
