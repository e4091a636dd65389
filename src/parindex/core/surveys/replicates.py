"""Replicate weights: the survey re-weighted many times, so that any statistic — a rank, a group,
a whole index — gets its sampling variance by being recomputed once per replicate.

Three kinds, all built from a :class:`SurveyDesign`'s first stage (its PSUs within strata):

- ``JKn`` (stratified jackknife, R's ``as.svrepdesign(type="JKn")``): one replicate per PSU,
  that PSU dropped and the others of its stratum weighted n/(n−1); variance
  Σ_r (1−f_h)(n_h−1)/n_h · (θ_r − θ̄)².
- ``JK1`` (delete-one jackknife of an unstratified design): scale (1−f)(n−1)/n.
- ``bootstrap`` (Rao–Wu rescaled): in each stratum n_h−1 PSUs drawn with replacement, a PSU
  drawn r times weighted 1 − λ + λ·n_h/(n_h−1)·r with λ = √(1−f_h); variance
  Σ_r (θ_r − θ̄)² / (B−1). Seeded: the same seed gives the same replicates.

Replicate factors are kept per PSU (PSUs × replicates), never per respondent, so 40,000
respondents × 2,000 replicates is a sum over PSU totals, not a 640 MB matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from parindex.core.surveys.design import DesignError, SurveyDesign

ReplicateKind = Literal["JK1", "JKn", "bootstrap"]
Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class ReplicateWeights:
    """Replicate factors of one design: row r of ``factors`` multiplies each PSU's weights."""

    kind: ReplicateKind
    design: SurveyDesign
    psu: NDArray[np.int64]
    """Per row: its PSU, coded 0…p−1."""
    factors: Array
    """PSUs × replicates: the factor each replicate applies to the PSU's design weights."""
    scale: float
    rscales: Array
    """Per replicate: its share of the variance (R's ``rscales``)."""

    @property
    def replicates(self) -> int:
        return int(self.factors.shape[1])

    def variance(self, thetas: Array) -> Array:
        """Variance of a statistic from its replicate values (replicates first), centred on the
        mean of the replicates, as R's ``svrVar`` with ``mse=FALSE``; replicates where the
        statistic is NaN (an empty domain) are left out, as R's ``na.action`` does."""
        values = np.asarray(thetas, dtype=float)
        shape = (-1,) + (1,) * (values.ndim - 1)
        rscales = self.rscales.reshape(shape)
        present = ~np.isnan(values) & (rscales > 0)
        count = present.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(present, values, 0.0).sum(axis=0) / count
        squares = np.where(present, (values - centre) ** 2, 0.0)
        return np.asarray(self.scale * (squares * rscales).sum(axis=0))


def _first_stage(design: SurveyDesign) -> tuple[NDArray[np.int64], NDArray[np.int64], Array, Array]:
    """Per PSU: its stratum, n of its stratum and 1−f; and each row's PSU."""
    stage = design.stages[0]
    psus, first, row_psu = np.unique(stage.clusters, return_index=True, return_inverse=True)
    strata = np.unique(stage.strata[first], return_inverse=True)[1].reshape(-1)
    sampled = stage.sampled[first]
    population = stage.population[first]
    finite = np.isfinite(population)
    keep = np.ones(len(psus))
    keep[finite] = (population[finite] - sampled[finite]) / population[finite]
    return row_psu.reshape(-1).astype(np.int64), strata.astype(np.int64), sampled, keep


def _lonely(design: SurveyDesign, count: float, keep: float, stratum: int) -> bool:
    """Whether a stratum is skipped (no replicates); raises where R's ``survey`` would."""
    if count > 1 or keep == 0:
        return count <= 1
    if design.lonely_psu in ("remove", "certainty"):
        return True
    raise DesignError(
        f"stratum {stratum} has only one PSU: replicate weights need lonely_psu='remove' "
        "or 'certainty'"
    )


def jackknife(design: SurveyDesign, kind: Literal["JK1", "JKn"] = "JKn") -> ReplicateWeights:
    """Jackknife replicates; ``JK1`` only for an unstratified design (as R refuses it otherwise).

    Only the first stage's fpc is used (R drops the later ones in ``as.svrepdesign``).
    """
    row_psu, strata, sampled, keep = _first_stage(design)
    n_psu = len(strata)
    if kind == "JK1" and strata.max(initial=0) > 0:
        raise DesignError("JK1 is for an unstratified design; use JKn for a stratified one")
    columns: list[Array] = []
    rscales: list[float] = []
    for stratum in range(int(strata.max(initial=-1)) + 1):
        members = np.flatnonzero(strata == stratum)
        n = float(sampled[members[0]])
        f = float(keep[members[0]])
        if _lonely(design, n, f, stratum) or f == 0:
            continue  # a stratum taken whole has no sampling variance (R drops its replicates)
        block = np.ones((n_psu, len(members)))
        block[members, :] = n / (n - 1)
        block[members, np.arange(len(members))] = 0.0
        columns.append(block)
        rscales += [f * (n - 1) / n] * len(members)
    if not columns:
        raise DesignError("every stratum was sampled whole: there is no sampling variance")
    factors = np.concatenate(columns, axis=1)
    if kind == "JK1":
        return ReplicateWeights(
            "JK1", design, row_psu, factors, float(rscales[0]), np.ones(len(rscales))
        )
    return ReplicateWeights("JKn", design, row_psu, factors, 1.0, np.array(rscales))


def bootstrap(
    design: SurveyDesign, replicates: int, seed: int | np.random.Generator
) -> ReplicateWeights:
    """Rao–Wu rescaled bootstrap replicates, n_h − 1 PSUs drawn per stratum, with the first
    stage's fpc through λ = √(1−f_h)."""
    if replicates < 2:
        raise DesignError(f"a bootstrap needs at least 2 replicates, got {replicates}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    row_psu, strata, sampled, keep = _first_stage(design)
    factors = np.ones((len(strata), replicates))
    for stratum in range(int(strata.max(initial=-1)) + 1):
        members = np.flatnonzero(strata == stratum)
        n = int(sampled[members[0]])
        f = float(keep[members[0]])
        if _lonely(design, n, f, stratum):
            continue
        drawn = rng.multinomial(n - 1, np.full(n, 1.0 / n), size=replicates).T  # n × B
        lam = np.sqrt(f)
        factors[members, :] = 1.0 - lam + lam * n / (n - 1) * drawn
    return ReplicateWeights(
        "bootstrap", design, row_psu, factors, 1.0 / (replicates - 1), np.ones(replicates)
    )


def replicate_weights(
    design: SurveyDesign,
    kind: ReplicateKind,
    replicates: int = 500,
    seed: int | np.random.Generator = 0,
) -> ReplicateWeights:
    """Replicates of ``kind``; ``replicates`` and ``seed`` are used by the bootstrap only."""
    if kind == "bootstrap":
        return bootstrap(design, replicates, seed)
    return jackknife(design, kind)


@dataclass(frozen=True, eq=False)
class ReplicateEstimates:
    """Domains × variables, with every replicate's value (replicates × domains × variables)."""

    domains: tuple[str, ...]
    variables: tuple[str, ...]
    estimate: Array
    replicates: Array
    se: Array


def replicate_estimate(
    weights: ReplicateWeights,
    y: Array,
    *,
    domains: NDArray[np.int64] | None = None,
    domain_labels: tuple[str, ...] = ("all",),
    variables: tuple[str, ...] | None = None,
    combine: Array | None = None,
) -> ReplicateEstimates:
    """Weighted means of ``y`` (rows × variables; NaN = no valid answer) by domain, for the full
    sample and every replicate, with replicate standard errors (R: ``svymean``/``svyby`` on
    ``as.svrepdesign``). ``combine`` (variables × outputs) asks for linear combinations of the
    means (a SIPAS group as the mean of its items), computed within each replicate.
    """
    design = weights.design
    y = np.atleast_2d(np.asarray(y, dtype=float).T).T
    rows, count = y.shape
    if rows != design.rows:
        raise DesignError(f"{rows} rows of values for a design of {design.rows} rows")
    domain = (
        np.zeros(rows, dtype=np.int64) if domains is None else np.asarray(domains, dtype=np.int64)
    )
    n_domains = len(domain_labels)
    valid = ~np.isnan(y)
    a = np.where(valid, design.weights[:, None] * np.nan_to_num(y), 0.0)
    b = np.where(valid, design.weights[:, None], 0.0)
    # Sum rows into (PSU, domain) cells once; every replicate is then a product of small arrays.
    cell = weights.psu * n_domains + domain
    cells, cell_index = np.unique(cell, return_inverse=True)
    summing = sparse.csr_matrix(
        (np.ones(rows), (cell_index.reshape(-1), np.arange(rows))), shape=(len(cells), rows)
    )
    cell_a, cell_b = summing @ a, summing @ b  # cells × variables
    cell_psu, cell_domain = cells // n_domains, cells % n_domains
    spread = sparse.csr_matrix(
        (np.ones(len(cells)), (cell_domain, np.arange(len(cells)))), shape=(n_domains, len(cells))
    )
    factors = weights.factors[cell_psu]  # cells × R
    replicates = weights.replicates
    numerator = np.empty((replicates, n_domains, count))
    denominator = np.empty_like(numerator)
    for j in range(count):  # variables, not respondents or replicates
        numerator[:, :, j] = (spread @ (factors * cell_a[:, [j]])).T
        denominator[:, :, j] = (spread @ (factors * cell_b[:, [j]])).T
    with np.errstate(invalid="ignore", divide="ignore"):
        full = np.asarray(spread @ cell_a) / np.asarray(spread @ cell_b)
        each = numerator / denominator
    names = variables or tuple(f"v{j}" for j in range(count))
    if combine is not None:
        used = (np.abs(combine) > 0).astype(float)
        missing_full = np.isnan(full).astype(float) @ used > 0
        full = np.where(missing_full, np.nan, np.nan_to_num(full) @ combine)
        missing_each = np.isnan(each).astype(float) @ used > 0
        each = np.where(missing_each, np.nan, np.nan_to_num(each) @ combine)
        names = variables or tuple(f"v{j}" for j in range(combine.shape[1]))
    return ReplicateEstimates(
        domains=domain_labels,
        variables=names,
        estimate=np.asarray(full),
        replicates=np.asarray(each),
        se=np.sqrt(weights.variance(each)),
    )
