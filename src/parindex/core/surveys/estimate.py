"""Design-based estimates with Taylor-linearised standard errors, equal to R's ``survey``.

Means, proportions (means of indicators), totals and ratios, overall or by domain, for many
variables at once. The variance follows ``survey:::multistage``/``onestrat`` exactly: cluster
totals of the linearised values, centred within each stratum (domains keep the design's number
of clusters, the absent ones counting zero), scaled by f·n/(n−1) with f = (N−n)/N, plus, when an
fpc is given, the later stages within each cluster scaled by the n/N of the stages above.

Nothing loops over respondents: every sum is a sparse group sum over (cluster, domain) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from parindex.core.surveys.design import DesignError, SurveyDesign

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
    """Design degrees of freedom of the domain: its PSUs minus its strata (R's ``degf``)."""

    @property
    def variance(self) -> Array:
        return self.se**2


def _group(
    keys: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], sparse.csr_matrix]:
    """Unique keys, each row's group index, and the groups × rows summing matrix."""
    unique, index = np.unique(keys, return_inverse=True)
    index = index.reshape(-1)
    summing = sparse.csr_matrix(
        (np.ones(len(keys)), (index, np.arange(len(keys)))), shape=(len(unique), len(keys))
    )
    return unique, index, summing


def estimate(
    design: SurveyDesign,
    y: Array,
    *,
    kind: Kind = "mean",
    x: Array | None = None,
    domains: NDArray[np.int64] | None = None,
    domain_labels: tuple[str, ...] = ("all",),
    variables: tuple[str, ...] | None = None,
) -> Estimates:
    """Estimates of ``y`` (rows × variables; NaN = no valid answer) by domain.

    ``kind="ratio"`` estimates Σwy / Σwx with ``x`` of the same shape. Rows with NaN in ``y``
    (or ``x``) leave that variable's domain, as R's ``na.rm=TRUE`` or a subset does.
    """
    y = np.atleast_2d(np.asarray(y, dtype=float).T).T
    rows, count = y.shape
    if rows != design.rows:
        raise DesignError(f"{rows} rows of values for a design of {design.rows} rows")
    domain = (
        np.zeros(rows, dtype=np.int64) if domains is None else np.asarray(domains, dtype=np.int64)
    )
    n_domains = len(domain_labels)
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

    by_domain = sparse.csr_matrix(
        (np.ones(rows), (domain, np.arange(rows))), shape=(n_domains, rows)
    )
    numerator = by_domain @ a
    denominator = by_domain @ b
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "total":
            value = numerator
        else:
            value = numerator / denominator

    variance = np.zeros((n_domains, count))
    for level, stage in enumerate(design.stages):
        if level > 0 and not np.any(stage.factor > 0):
            break  # no fpc above: later stages do not add (R recurses only with an fpc)
        variance += _stage_variance(
            design, stage, level, domain, n_domains, a, b, value, denominator, kind
        )
    respondents = np.asarray(by_domain @ valid.astype(float)).round().astype(np.int64)
    return Estimates(
        kind=kind,
        domains=domain_labels,
        variables=variables or tuple(f"v{j}" for j in range(count)),
        estimate=np.asarray(value),
        se=np.sqrt(variance),
        n=respondents,
        df=_degrees_of_freedom(design, domain, n_domains, valid),
    )


def _stage_variance(
    design: SurveyDesign,
    stage,  # type: ignore[no-untyped-def]
    level: int,
    domain: NDArray[np.int64],
    n_domains: int,
    a: Array,
    b: Array,
    value: Array,
    denominator: Array,
    kind: Kind,
) -> Array:
    # Linearised values summed over each (cluster, domain) pair present.
    pair_keys, pair_of_row, summing = _group(stage.clusters * n_domains + domain)
    pair_domain = pair_keys % n_domains
    first_row = np.zeros(len(pair_keys), dtype=np.int64)
    first_row[pair_of_row[::-1]] = np.arange(len(pair_of_row))[::-1]
    pair_a, pair_b = summing @ a, summing @ b
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "total":
            totals = pair_a
        else:
            totals = (pair_a - value[pair_domain] * pair_b) / denominator[pair_domain]
    totals = np.nan_to_num(totals)

    # Centre within (stratum, domain); n counts every cluster of the stratum, present or not.
    stratum = stage.strata[first_row]
    sampled = stage.sampled[first_row]
    population = stage.population[first_row]
    factor = stage.factor[first_row]
    f = np.where(
        np.isfinite(population),
        (population - sampled) / np.where(np.isfinite(population), population, 1),
        1.0,
    )
    scale = np.where(sampled > 1, f * sampled / np.maximum(sampled - 1, 1), f)
    group_keys, group_of_pair, group_sum = _group(stratum * n_domains + pair_domain)
    first_pair = np.zeros(len(group_keys), dtype=np.int64)
    first_pair[group_of_pair[::-1]] = np.arange(len(group_of_pair))[::-1]
    s1, s2 = group_sum @ totals, group_sum @ (totals**2)
    n = sampled[first_pair][:, None]
    group_scale = scale[first_pair][:, None]
    lonely = (n[:, 0] == 1) & (f[first_pair] > 1e-7)
    if np.any(lonely) and design.lonely_psu == "fail":
        where = np.flatnonzero(lonely)[0]
        raise DesignError(
            f"stratum {int(stratum[first_pair][where])} has only one PSU at stage {level + 1}; "
            "choose lonely_psu='remove', 'certainty' or 'adjust' as in R"
        )
    centred = s2 if design.lonely_psu == "adjust" else s2 - s1**2 / n
    if design.lonely_psu == "adjust":
        centred = np.where(n > 1, s2 - s1**2 / n, s2)
    contribution = group_scale * np.maximum(centred, 0.0) * factor[first_pair][:, None]
    to_domain = sparse.csr_matrix(
        (np.ones(len(group_keys)), (group_keys % n_domains, np.arange(len(group_keys)))),
        shape=(n_domains, len(group_keys)),
    )
    return np.asarray(to_domain @ contribution)


def _degrees_of_freedom(
    design: SurveyDesign, domain: NDArray[np.int64], n_domains: int, valid: NDArray[np.bool_]
) -> NDArray[np.int64]:
    stage = design.stages[0]
    psus, _, psu_sum = _group(stage.clusters * n_domains + domain)
    present = np.asarray(psu_sum @ valid.astype(float)) > 0
    first = np.zeros(len(psus), dtype=np.int64)
    first[
        np.unique(stage.clusters * n_domains + domain, return_inverse=True)[1].reshape(-1)[::-1]
    ] = np.arange(design.rows)[::-1]
    psu_stratum = stage.strata[first]
    psu_domain = psus % n_domains
    strata_keys, _, strata_sum = _group(psu_stratum * n_domains + psu_domain)
    strata_present = np.asarray(strata_sum @ present.astype(float)) > 0
    per_domain = sparse.csr_matrix(
        (np.ones(len(psus)), (psu_domain, np.arange(len(psus)))), shape=(n_domains, len(psus))
    )
    strata_domain = sparse.csr_matrix(
        (np.ones(len(strata_keys)), (strata_keys % n_domains, np.arange(len(strata_keys)))),
        shape=(n_domains, len(strata_keys)),
    )
    psu_count = np.asarray(per_domain @ present.astype(float))
    strata_count = np.asarray(strata_domain @ strata_present.astype(float))
    return (psu_count - strata_count).round().astype(np.int64)
