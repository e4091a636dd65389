"""Design-based estimates with Taylor-linearised standard errors, equal to R's ``survey``.

Means, proportions (means of indicators), totals and ratios, overall or by domain, for many
variables at once. The variance follows ``survey:::multistage``/``onestrat`` exactly: cluster
totals of the linearised values, centred within each stratum (domains keep the design's number
of clusters, the absent ones counting zero), scaled by f·n/(n−1) with f = (N−n)/N, plus, when an
fpc is given, the later stages within each cluster scaled by the n/N of the stages above.

Nothing loops over respondents: every sum is a group sum (``numpy.bincount``) over (cluster,
domain) pairs. ``scipy.sparse`` did the same job but costs half a second to import, which the
command line pays on every call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from parindex.core.surveys.design import DesignError, Stage, SurveyDesign

Kind = Literal["mean", "total", "ratio"]
Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Estimates:
    """Domains × variables."""

    kind: Kind
    domains: tuple[str, ...]
    variables: tuple[str, ...]
    estimate: Array
    se: Array
    n: NDArray[np.int64]
    """Respondents with a valid value in the domain."""
    df: NDArray[np.int64]
    """Design degrees of freedom of the domain: its PSUs minus its strata among the rows of
    non-zero weight, whether the value is missing or not (R's ``degf`` of the domain)."""
    rows: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    """Rows of the domain, missing values and zero weights included (R's ``nrow`` of the
    domain's design, which the Korn–Graubard interval uses)."""


@dataclass(frozen=True, eq=False)
class _Sum:
    """``groups × rows`` summing matrix: ``sum @ values`` adds each group's rows (columns kept)."""

    labels: NDArray[np.int64]
    size: int

    def __matmul__(self, values: NDArray[np.generic]) -> Array:
        values = np.asarray(values, dtype=float)
        if values.ndim == 1:
            return np.bincount(self.labels, weights=values, minlength=self.size).astype(float)
        out = np.empty((self.size, values.shape[1]))
        for j in range(values.shape[1]):
            out[:, j] = np.bincount(self.labels, weights=values[:, j], minlength=self.size)
        return out


@dataclass(frozen=True, eq=False)
class _Groups:
    """Rows grouped by an integer key: the keys, a member of each, and the summing matrix."""

    keys: NDArray[np.int64]
    first: NDArray[np.int64]
    """One row (the first) of each group, to read what is constant within it."""
    sum: _Sum
    """groups × rows: ``sum @ values`` adds each group's rows."""


def _group(keys: NDArray[np.int64]) -> _Groups:
    unique, first, index = np.unique(keys, return_index=True, return_inverse=True)
    return _Groups(unique, first.astype(np.int64), _Sum(index.reshape(-1), len(unique)))


def _spread(labels: NDArray[np.int64], size: int) -> _Sum:
    """size × len(labels): adds each item into the row its label names."""
    return _Sum(np.asarray(labels, dtype=np.int64), size)


def estimate(
    design: SurveyDesign,
    y: Array,
    *,
    kind: Kind = "mean",
    x: Array | None = None,
    domains: NDArray[np.int64] | None = None,
    domain_labels: tuple[str, ...] = ("all",),
    variables: tuple[str, ...] | None = None,
    combine: Array | None = None,
) -> Estimates:
    """Estimates of ``y`` (rows × variables; NaN = no valid answer) by domain.

    ``combine`` (variables × outputs) asks instead for linear combinations of the variables'
    estimates, e.g. a SIPAS group as the mean of its items' shares, with the exact linearised
    standard error (R: ``svycontrast`` on the estimates and their covariance).

    ``kind="ratio"`` estimates Σwy / Σwx with ``x`` of the same shape. Rows with NaN in ``y``
    (or ``x``) leave that variable's estimate as R's ``na.rm=TRUE`` does: they still count in
    the domain's degrees of freedom and rows, as they do in R's ``svyciprop``. A row whose
    domain is −1 belongs to no domain (R's ``svyby`` leaves an ``NA`` domain out).
    """
    y = np.atleast_2d(np.asarray(y, dtype=float).T).T
    rows, count = y.shape
    if rows != design.rows:
        raise DesignError(f"{rows} rows of values for a design of {design.rows} rows")
    domain = (
        np.zeros(rows, dtype=np.int64) if domains is None else np.asarray(domains, dtype=np.int64)
    )
    n_domains = len(domain_labels)
    if np.any(domain < 0):
        # Rows in no domain go to an extra one that is dropped from the result: they stay in
        # the design (their clusters still count among those sampled), as in R.
        inner = estimate(
            design,
            y,
            kind=kind,
            x=x,
            domains=np.where(domain < 0, n_domains, domain),
            domain_labels=(*domain_labels, ""),
            variables=variables,
            combine=combine,
        )
        keep = slice(0, n_domains)
        return Estimates(
            kind=kind,
            domains=domain_labels,
            variables=inner.variables,
            estimate=inner.estimate[keep],
            se=inner.se[keep],
            n=inner.n[keep],
            df=inner.df[keep],
            rows=inner.rows[keep],
        )
    valid = ~np.isnan(y)
    if kind == "ratio":
        if x is None:
            raise DesignError("a ratio needs denominators (x)")
        x = np.atleast_2d(np.asarray(x, dtype=float).T).T
        valid &= ~np.isnan(x)
        b = np.where(valid, design.weights[:, None] * np.nan_to_num(x), 0.0)
    else:
        b = np.where(valid, design.weights[:, None], 0.0)
    a = np.where(valid, design.weights[:, None] * np.nan_to_num(y), 0.0)

    by_domain = _spread(domain, n_domains)
    numerator = by_domain @ a
    denominator = by_domain @ b
    with np.errstate(invalid="ignore", divide="ignore"):
        value = numerator if kind == "total" else numerator / denominator

    outputs = count if combine is None else combine.shape[1]
    used = np.abs(combine) > 0 if combine is not None else None
    answered = valid if used is None else valid.astype(float) @ used.astype(float) > 0
    variance = np.zeros((n_domains, outputs))
    for level, stage in enumerate(design.stages):
        if level > 0 and not np.any(stage.factor > 0):
            break  # no fpc above: later stages do not add (R recurses only with an fpc)
        variance += _stage_variance(
            design,
            stage,
            level,
            domain,
            n_domains,
            a,
            b,
            value,
            denominator,
            kind,
            combine,
            answered,
        )
    respondents = np.asarray(by_domain @ valid.astype(float)).round().astype(np.int64)
    if used is not None:
        assert combine is not None
        # NaN × 0 is NaN: a combination is missing only where a variable it uses is missing.
        value = np.asarray(value)
        missing = np.isnan(value).astype(float) @ used.astype(float) > 0
        value = np.where(missing, np.nan, np.nan_to_num(value) @ combine)
        respondents = np.stack(
            [respondents[:, used[:, c]].max(axis=1) for c in range(combine.shape[1])], axis=1
        )
    domain_rows = np.bincount(domain, minlength=n_domains).astype(np.int64)
    return Estimates(
        kind=kind,
        domains=domain_labels,
        variables=variables or tuple(f"v{j}" for j in range(outputs)),
        estimate=np.asarray(value),
        se=np.sqrt(variance),
        n=respondents,
        df=np.repeat(_degrees_of_freedom(design, domain, n_domains)[:, None], outputs, axis=1),
        rows=np.repeat(domain_rows[:, None], outputs, axis=1),
    )


def _stage_variance(
    design: SurveyDesign,
    stage: Stage,
    level: int,
    domain: NDArray[np.int64],
    n_domains: int,
    a: Array,
    b: Array,
    value: Array,
    denominator: Array,
    kind: Kind,
    combine: Array | None,
    answered: NDArray[np.bool_],
) -> Array:
    # Linearised values summed over each (cluster, domain) pair present.
    pairs = _group(stage.clusters * n_domains + domain)
    pair_domain = pairs.keys % n_domains
    pair_a, pair_b = pairs.sum @ a, pairs.sum @ b
    with np.errstate(invalid="ignore", divide="ignore"):
        linear = (
            pair_a
            if kind == "total"
            else (pair_a - value[pair_domain] * pair_b) / denominator[pair_domain]
        )
    totals = np.nan_to_num(linear)
    if combine is not None:
        totals = totals @ combine  # linearised values of the combinations

    # Centre within (stratum, domain); n counts every cluster of the stratum, present or not.
    groups = _group(stage.strata[pairs.first] * n_domains + pair_domain)
    row = pairs.first[groups.first]  # a row of each (stratum, domain) group
    n = stage.sampled[row]
    population = stage.population[row]
    f = np.ones_like(n)
    finite = np.isfinite(population)
    f[finite] = (population[finite] - n[finite]) / population[finite]
    scale = np.where(n > 1, f * n / np.maximum(n - 1, 1), f)
    s1, s2 = groups.sum @ totals, groups.sum @ (totals**2)
    lonely = (n == 1) & (f > 1e-7)
    if np.any(lonely) and design.lonely_psu == "fail":
        raise DesignError(
            f"{design.where(level, int(row[np.flatnonzero(lonely)[0]]))} has only one PSU at "
            f"stage {level + 1}; choose --lonely-psu remove, certainty, adjust or average "
            "as in R"
        )
    centred = s2 - s1**2 / n[:, None]
    if design.lonely_psu == "adjust":
        centred = np.where(lonely[:, None], s2, centred)  # R does not centre a lonely PSU then
    contribution = (scale * stage.factor[row])[:, None] * np.maximum(centred, 0.0)
    to_domain = _spread(groups.keys % n_domains, n_domains)
    if design.lonely_psu != "average" or not np.any(lonely):
        return np.asarray(to_domain @ contribution)
    # R's "average": a lonely stratum gets the mean variance of the others that the estimate
    # uses (strata with a valid value): the sum over the others × strata ÷ others. Below
    # stage 1 R does this within each cluster above, where a lonely cluster has no other
    # to average and the variance is undefined (NaN), as in R.
    present = (groups.sum @ (pairs.sum @ answered.astype(float))) > 0
    if level > 0:
        undefined = lonely[:, None] & present
        contribution = np.where(undefined, np.nan, contribution)
        return np.asarray(to_domain @ contribution)
    kept = np.where(lonely[:, None], 0.0, contribution)
    strata_used = to_domain @ present.astype(float)
    strata_kept = to_domain @ (present & ~lonely[:, None]).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((to_domain @ kept) * strata_used / strata_kept)


def _degrees_of_freedom(
    design: SurveyDesign, domain: NDArray[np.int64], n_domains: int
) -> NDArray[np.int64]:
    """PSUs minus strata among the domain's rows of non-zero weight (R's ``degf`` of the
    domain, which leaves out zero weights and keeps rows whose value is missing)."""
    stage = design.stages[0]
    psus = _group(stage.clusters * n_domains + domain)
    psu_domain = psus.keys % n_domains
    present = (psus.sum @ (design.weights != 0).astype(float)) > 0
    strata = _group(stage.strata[psus.first] * n_domains + psu_domain)
    strata_present = (strata.sum @ present.astype(float)) > 0
    psu_count = _spread(psu_domain, n_domains) @ present.astype(float)
    strata_count = _spread(strata.keys % n_domains, n_domains) @ strata_present.astype(float)
    return np.asarray(psu_count - strata_count).round().astype(np.int64)


def design_effect(
    design: SurveyDesign,
    y: Array,
    result: Estimates,
    domains: NDArray[np.int64] | None = None,
) -> Array:
    """Design effects of the means in ``result`` (domains × variables), as R's
    ``svymean(..., deff=TRUE)`` (and ``svyby`` with it): the variance over that of a simple
    random sample without replacement of the same size, s²·(Σw − n)/(Σw·n), where s² is the
    weighted variance with n/(n−1) and n counts the rows of non-zero weight with a value.
    NaN where Σw does not exceed n (weights not scaled to the population, as R warns)."""
    y = np.atleast_2d(np.asarray(y, dtype=float).T).T
    rows = y.shape[0]
    domain = np.zeros(rows, dtype=np.int64) if domains is None else np.asarray(domains)
    inside = domain >= 0
    by_domain = _spread(np.where(inside, domain, 0), len(result.domains))
    valid = ~np.isnan(y) & inside[:, None]
    weights = np.where(valid, design.weights[:, None], 0.0)
    values = np.nan_to_num(y)
    count = by_domain @ (valid & (weights != 0)).astype(float)
    total = by_domain @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (by_domain @ (weights * values)) / total
        # Centre on the domain's mean before squaring: no cancellation on large values.
        centred = np.where(valid, values - mean[np.where(inside, domain, 0)], 0.0)
        spread = (by_domain @ (weights * centred**2)) / total * count / (count - 1)
        srs = spread * (total - count) / (total * count)
        return np.asarray(np.where(total > count, result.se**2 / srs, np.nan))
