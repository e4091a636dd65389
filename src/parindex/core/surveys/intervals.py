"""Confidence intervals for survey estimates, matching R's ``survey`` where it has the method.

- ``wald``: estimate ± z·SE, as ``confint(svymean(...))`` (normal quantile).
- ``logit``: on the logit scale with the design's degrees of freedom, as
  ``svyciprop(method="logit")`` (and ``"xlogit"``, which gives the same interval).
- ``beta``: Korn–Graubard, as ``svyciprop(method="beta")``.
- ``wilson``: the Wilson score interval with the effective sample size p(1−p)/Var(p)
  (R's ``survey`` has none; falls back to the number of respondents when the variance is 0).

Quantiles: the normal one from the standard library, Student's t for the usual design degrees
of freedom (up to 2,000) by Newton's method on its exact finite series (Abramowitz & Stegun
26.7.3–4), the others from ``scipy.special`` (what ``scipy.stats`` calls underneath). Importing
``scipy.stats`` costs about a second and ``scipy.special`` a third of one, which a command-line
estimate should not pay when it needs neither.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Literal

import numpy as np
from numpy.typing import NDArray

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
            z = NormalDist().inv_cdf(1 - alpha / 2)
            return estimate - z * se, estimate + z * se
        if method == "logit":
            # With one degree of freedom R's svyglm-based interval degenerates to (0, NaN);
            # no interval is given there rather than a misleading one.
            t = t_quantile(np.where(df > 1, df, np.nan), 1 - alpha / 2)
            centre = np.log(estimate / (1 - estimate))
            half = t * se / (estimate * (1 - estimate))
            return _expit(centre - half), _expit(centre + half)
        if method == "beta":
            from scipy import special

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
            z = NormalDist().inv_cdf(1 - alpha / 2)
            effective = np.where(se > 0, estimate * (1 - estimate) / se**2, n)
            centre = (estimate + z**2 / (2 * effective)) / (1 + z**2 / effective)
            half = z * np.sqrt(estimate * (1 - estimate) / effective + z**2 / (4 * effective**2))
            half = half / (1 + z**2 / effective)
            return centre - half, centre + half
    raise ValueError(f"unknown interval method {method!r}: wald, logit, beta or wilson")


def t_quantile(degrees: NDArray[np.generic], p: float) -> Array:
    """Student's t quantile for p > 1/2 at each df (NaN where df is NaN or below 1)."""
    df: Array = np.asarray(degrees, dtype=float)
    out = np.full(df.shape, np.nan)
    usable = np.isfinite(df) & (df >= 1)
    if not np.any(usable):
        return out
    if np.nanmax(df[usable]) > 2000 or np.any(df[usable] != np.round(df[usable])):
        from scipy import special

        out[usable] = special.stdtrit(df[usable], p)
        return out
    values, inverse = np.unique(df[usable], return_inverse=True)
    z = NormalDist().inv_cdf(p)
    q = z + (z**3 + z) / (4 * values) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * values**2)
    q = np.where(values == 1, math.tan(math.pi * (p - 0.5)), q)
    log_norm = np.array(
        [
            math.lgamma((v + 1) / 2) - math.lgamma(v / 2) - 0.5 * math.log(v * math.pi)
            for v in values
        ]
    )
    for _ in range(50):
        density = np.exp(log_norm - (values + 1) / 2 * np.log1p(q**2 / values))
        step = (0.5 + 0.5 * _t_within(q, values) - p) / density
        q = q - step
        if np.all(np.abs(step) <= 1e-15 * np.abs(q)):
            break
    out[usable] = q[inverse.reshape(-1)]
    return out


def _t_within(t: Array, df: Array) -> Array:
    """P(|T| < t) for whole df ≥ 1: Abramowitz & Stegun 26.7.3 (odd df) and 26.7.4 (even)."""
    theta = np.arctan(t / np.sqrt(df))
    c2 = np.cos(theta) ** 2
    odd = df % 2 == 1
    term = np.where(odd, np.cos(theta), 1.0)
    total = term.copy()
    for k in range(2, int(df.max()) - 1, 2):
        term = np.where(k + 2 <= df, term * np.where(odd, k / (k + 1.0), (k - 1.0) / k) * c2, 0.0)
        total = total + term
    sine = np.sin(theta)
    return np.asarray(
        np.where(odd, 2 / math.pi * (theta + sine * np.where(df > 1, total, 0.0)), sine * total)
    )


def _beta_quantile(q: float, a: Array, b: Array) -> Array:
    # scipy.stats.beta.ppf: NaN outside its domain (a, b > 0), 0 or 1 at the ends.
    from scipy import special

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    defined = (a > 0) & (b > 0)
    value = special.betaincinv(np.where(defined, a, 1.0), np.where(defined, b, 1.0), q)
    return np.asarray(np.where(defined, value, np.nan))


def _expit(x: Array) -> Array:
    return np.asarray(1 / (1 + np.exp(-x)))
