"""Rank intervals: how sure a published rank is, given the survey's sampling error and the
methodological choices an edition declares as uncertain.

Each replicate recomputes the whole index for every unit at once: survey-sourced components
take their replicate estimates (bootstrap draws of the survey), and each declared choice (field
weights, rounding, N/A rule, survey scoring) takes one of its options. The replicates are
arrays of replicates × units × components; nothing loops over units or replicates. Per unit
come the median rank, a 90 % interval and the probability of each group; between two years,
the probability that the unit really moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology import Aggregation, Edition, NotApplicableRule
from parindex.core.scoring.points import PointsTable

Array = NDArray[np.float64]
Ints = NDArray[np.int64]

SURVEY = "survey_sampling"
FIELD_WEIGHTS = "field_weights"
ROUNDING = "rounding"
NOT_APPLICABLE = "not_applicable"
SURVEY_AGGREGATION = "survey_aggregation"
DECLARED = "declared"
"""The variant name of the edition's own survey scoring."""

_NA_CODES = {NotApplicableRule.RESCALE: 0, NotApplicableRule.ZERO: 1, NotApplicableRule.FULL: 2}


@dataclass(frozen=True, eq=False)
class SurveyDraws:
    """Replicate points of survey-sourced components: variant → replicates × units × nodes, NaN
    where a node is not drawn (it keeps the unit's points). ``declared`` is the edition's own
    scoring; other variants are the alternatives its ``survey_aggregation`` names."""

    points: Mapping[str, Array]

    @property
    def replicates(self) -> int:
        return int(next(iter(self.points.values())).shape[0])


@dataclass(frozen=True)
class Choice:
    """One uncertain choice and its options; option 0 is what the edition publishes with."""

    name: str
    options: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Evaluated:
    """Replicates × units."""

    index_pct: Array
    """Rounded as each replicate's rounding option says."""
    ranks: Ints
    """0 where a unit is not ranked."""
    groups: Ints
    """Index into the grading scale's bands; len(bands) for no group."""


@dataclass(frozen=True, eq=False)
class Model:
    """Everything the replicates need, precomputed from a points table (see :func:`model_of`)."""

    table: PointsTable
    ranked: NDArray[np.bool_]
    draws: SurveyDraws | None
    choices: tuple[Choice, ...]
    field_weights: Array
    """Options × fields."""
    decimals: Ints
    na_rules: Ints
    variants: tuple[str, ...]
    band_codes: tuple[str, ...]
    band_mins: Array
    graded_on_points: bool

    @property
    def edition(self) -> Edition:
        return self.table.edition

    def declared(self, replicates: int = 1) -> dict[str, Ints]:
        """Scenarios with every choice at the edition's own option and the survey components at
        their estimates (a scenario without ``survey_sampling`` uses no draw)."""
        return {
            c.name: np.zeros(replicates, dtype=np.int64) for c in self.choices if c.name != SURVEY
        }

    def evaluate(self, scenarios: Mapping[str, Ints], replicates: int | None = None) -> Evaluated:
        """Index %, ranks and groups for each scenario (a row of option indices per choice; a
        choice not given takes the edition's own option)."""
        size = replicates or (len(next(iter(scenarios.values()))) if scenarios else 1)
        table, layout = self.table, self.table.layout

        def pick(name: str) -> Ints:
            return np.asarray(scenarios.get(name, np.zeros(size, dtype=np.int64)))

        shape = (size, *table.points.shape)
        if self.draws is not None and SURVEY in scenarios:
            variant = np.asarray(self.variants)[pick(SURVEY_AGGREGATION)]
            replicate = pick(SURVEY)
            names = list(dict.fromkeys(variant.tolist()))
            if len(names) == 1:
                points = self.draws.points[names[0]][replicate]  # a fresh array: ours to change
            else:
                points = np.empty(shape)
                for name in names:  # variants, not replicates
                    rows = variant == name
                    points[rows] = self.draws.points[name][replicate[rows]]
            np.copyto(points, np.broadcast_to(table.points, shape), where=np.isnan(points))
        else:
            points = np.array(np.broadcast_to(table.points, shape))
        maxima = layout.max_points
        option = pick(NOT_APPLICABLE)
        # The maximum each node counts for depends on the N/A option alone (a handful): one
        # 2-D array per option, not one per replicate.
        counted_by_option = np.stack(
            [~table.excluded & ~(table.not_applicable & (code == 0)) for code in self.na_rules]
        )
        counted = counted_by_option[option] if table.not_applicable.any() else ~table.excluded
        full = table.not_applicable & ~table.excluded
        if full.any():
            np.copyto(
                points, maxima, where=full[None] & (self.na_rules[option] == 2)[:, None, None]
            )
        np.copyto(points, 0.0, where=~counted)
        node_max_by_option = np.where(counted_by_option, maxima, 0.0)
        weights = self.field_weights[pick(FIELD_WEIGHTS)][:, None, :]
        pct, total = _index(self.edition, points, node_max_by_option, option, weights, table)
        decimals = self.decimals[pick(ROUNDING)][:, None]
        factor = 10.0**decimals
        scaled = np.round(pct * factor, 9)
        if self.edition.rounding.mode == "half_up":
            rounded = np.floor(scaled + 0.5) / factor
        else:
            rounded = np.round(scaled) / factor
        ranks = replicate_ranks(rounded, table.peer_groups, self.ranked)
        graded = np.floor(np.round(total * factor, 9) + 0.5) / factor
        basis = graded if self.graded_on_points else rounded
        with np.errstate(invalid="ignore"):
            groups = (basis[..., None] < self.band_mins).sum(axis=-1)
        groups = np.where(np.isnan(basis), len(self.band_mins), groups)
        return Evaluated(rounded, ranks, groups.astype(np.int64))


def _divide(numerator: Array, denominator: Array) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan
        )


def _index(
    edition: Edition,
    points: Array,
    node_max_by_option: Array,
    option: Ints,
    weights: Array,
    table: PointsTable,
) -> tuple[Array, Array]:
    """Unrounded index % and points, replicates × units, as ``aggregate`` computes them (the
    same operations in the same order, so the declared options reproduce the engine exactly).
    ``node_max_by_option`` holds the nodes' maxima under each N/A option (options × u × k)."""
    to_criterion, to_field = table.layout.node_to_criterion, table.layout.criterion_to_field
    bonus = np.minimum(table.bonus, edition.bonus_cap)
    penalty = np.minimum(table.penalty, edition.penalty_cap)
    size, units, nodes = points.shape
    if edition.aggregation is Aggregation.SUM:
        # One tall matrix product (replicates·units × nodes), not one per replicate.
        flat = points.reshape(size * units, nodes)
        field_points = ((flat @ to_criterion) @ to_field).reshape(size, units, -1)
        field_max = ((node_max_by_option @ to_criterion) @ to_field)[option]
        max_points = field_max.sum(axis=-1)
        weighted_max = (weights * field_max).sum(axis=-1)
        # With weights of 1 the factor is exactly 1.0 and the sum is the engine's.
        stretch = _divide(max_points, weighted_max)
        summed = (weights * field_points).sum(axis=-1) * np.nan_to_num(stretch, nan=1.0)
        total = np.clip(summed + bonus - penalty, 0.0, max_points)
        return _divide(total, max_points) * 100, total
    node_max = node_max_by_option[option]
    node_pct = _divide(points, node_max)
    has_node = (node_max > 0).astype(float)
    criterion_sum = np.nan_to_num(node_pct) @ to_criterion
    criterion_n = has_node @ to_criterion
    criterion_pct = _divide(criterion_sum, criterion_n)
    field_sum = np.nan_to_num(criterion_pct) @ to_field
    field_n = (criterion_n > 0).astype(float) @ to_field
    field_share = _divide(field_sum, field_n)
    field_has = (field_n > 0).astype(float)
    index_share = _divide(
        (weights * np.nan_to_num(field_share)).sum(axis=-1), (weights * field_has).sum(axis=-1)
    )
    max_points = np.where(field_has.sum(axis=-1) > 0, edition.total_points, 0.0)
    total = np.clip(
        np.nan_to_num(index_share) * edition.total_points + bonus - penalty, 0.0, max_points
    )
    return _divide(total, max_points) * 100, total


def replicate_ranks(
    values: Array, groups: tuple[str, ...], ranked: NDArray[np.bool_]
) -> NDArray[np.int64]:
    """Competition ranks (1, 2, 2, 4) of each row of ``values`` (replicates × units) within peer
    groups; 0 for units not ranked or without a value. Sorting, not pairwise comparison, so a
    province's 700 communes cost what 63 provinces cost times log n.

    >>> replicate_ranks(np.array([[90.5, 88.0, 90.5, 70.0]]), ("a",) * 4, np.ones(4, bool)).tolist()
    [[1, 3, 1, 4]]
    """
    ranks = np.zeros(values.shape, dtype=np.int64)
    group_array = np.array(groups, dtype=object)
    for group in dict.fromkeys(groups):  # peer groups: a handful
        columns = np.flatnonzero((group_array == group) & ranked)
        if not len(columns):
            continue
        chosen = values[:, columns]
        key = np.where(np.isnan(chosen), np.inf, -chosen)
        order = np.argsort(key, axis=1, kind="stable")
        ordered = np.take_along_axis(key, order, axis=1)
        starts = np.ones(ordered.shape, dtype=bool)
        starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
        position = np.where(starts, np.arange(len(columns)), 0)
        first = np.maximum.accumulate(position, axis=1) + 1
        placed = np.empty_like(first)
        np.put_along_axis(placed, order, first, axis=1)
        ranks[:, columns] = np.where(np.isnan(chosen), 0, placed)
    return ranks


def model_of(
    table: PointsTable, not_ranked: Iterable[str] = (), draws: SurveyDraws | None = None
) -> Model:
    """The uncertain choices of ``table``'s edition and its arrays, ready to evaluate."""
    edition = table.edition
    declared = edition.uncertainty
    excluded = frozenset(not_ranked)
    ranked = np.array([unit not in excluded for unit in table.units], dtype=bool)
    field_ids = table.layout.field_ids
    field_max = table.layout.max_points @ table.layout.node_to_criterion
    field_max = field_max @ table.layout.criterion_to_field
    weights = [np.ones(len(field_ids))]
    weight_names = [DECLARED]
    decimals = [edition.rounding.decimals]
    na_rules = [_NA_CODES[edition.not_applicable]]
    variants = [DECLARED]
    if declared is not None:
        for weighting in declared.field_weights:
            if weighting.equal:
                row = (
                    1.0 / np.where(field_max > 0, field_max, 1.0)
                    if edition.aggregation is Aggregation.SUM
                    else np.ones(len(field_ids))
                )
            else:
                row = np.array([weighting.weights.get(f, 1.0) for f in field_ids])
            weights.append(row)
            weight_names.append(weighting.id)
        decimals += [d for d in declared.rounding_decimals if d not in decimals]
        na_rules += [_NA_CODES[r] for r in declared.not_applicable if _NA_CODES[r] not in na_rules]
        if draws is not None:
            variants += [v for v in declared.survey_aggregation if v in draws.points]
    choices = []
    if draws is not None:
        choices.append(Choice(SURVEY, tuple(str(r) for r in range(draws.replicates))))
    codes = {code: rule.value for rule, code in _NA_CODES.items()}
    for name, options in (
        (FIELD_WEIGHTS, tuple(weight_names)),
        (ROUNDING, tuple(str(d) for d in decimals)),
        (NOT_APPLICABLE, tuple(codes[c] for c in na_rules)),
        (SURVEY_AGGREGATION, tuple(variants)),
    ):
        if len(options) > 1:
            choices.append(Choice(name, options))
    scale = edition.grading
    bands = scale.bands if scale is not None else ()
    return Model(
        table=table,
        ranked=ranked,
        draws=draws,
        choices=tuple(choices),
        field_weights=np.array(weights),
        decimals=np.array(decimals, dtype=np.int64),
        na_rules=np.array(na_rules, dtype=np.int64),
        variants=tuple(variants),
        band_codes=tuple(band.code for band in bands),
        band_mins=np.array([band.min for band in bands], dtype=float),
        graded_on_points=scale is not None and scale.basis == "points",
    )


def draw_scenarios(
    model: Model, replicates: int, seed: int | np.random.Generator
) -> dict[str, Ints]:
    """Each replicate's option of every choice: survey replicates in order (cycled when fewer
    than asked), the other choices uniformly among their options."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    scenarios = {}
    for choice in model.choices:
        if choice.name == SURVEY:
            scenarios[SURVEY] = np.arange(replicates, dtype=np.int64) % len(choice.options)
        else:
            scenarios[choice.name] = rng.integers(len(choice.options), size=replicates)
    return scenarios


@dataclass(frozen=True, eq=False)
class RankIntervals:
    """Per unit: the published rank and the distribution of its rank over the replicates."""

    units: tuple[str, ...]
    rank: Ints
    """From the declared choices and the survey's point estimates; 0 when not ranked."""
    index_pct: Array
    ranks: Ints
    """Replicates × units."""
    index_pcts: Array
    median: Ints
    low: Ints
    high: Ints
    group_codes: tuple[str, ...]
    p_group: Array
    """Units × groups: share of replicates in each group."""
    choices: tuple[Choice, ...] = field(default=())
    level: float = 0.90

    def unit(self, code: str) -> int:
        return self.units.index(code)


def _quantile(values: Ints, q: float) -> Ints:
    # Ranks are whole numbers: report ranks that occurred (the smallest r with P(rank ≤ r) ≥ q).
    return np.quantile(values, q, axis=0, method="inverted_cdf").astype(np.int64)


def summarise(model: Model, evaluated: Evaluated, level: float = 0.90) -> RankIntervals:
    point = model.evaluate(model.declared())
    tail = (1 - level) / 2
    ranks = evaluated.ranks
    n_bands = len(model.band_codes)
    p_group = (
        np.stack([(evaluated.groups == g).mean(axis=0) for g in range(n_bands)], axis=1)
        if n_bands
        else np.zeros((len(model.table.units), 0))
    )
    return RankIntervals(
        units=model.table.units,
        rank=point.ranks[0],
        index_pct=point.index_pct[0],
        ranks=ranks,
        index_pcts=evaluated.index_pct,
        median=_quantile(ranks, 0.5),
        low=_quantile(ranks, tail),
        high=_quantile(ranks, 1 - tail),
        group_codes=model.band_codes,
        p_group=p_group,
        choices=model.choices,
        level=level,
    )


def rank_intervals(
    table: PointsTable,
    *,
    not_ranked: Iterable[str] = (),
    draws: SurveyDraws | None = None,
    replicates: int = 1000,
    seed: int | np.random.Generator = 0,
    level: float = 0.90,
) -> RankIntervals:
    """Rank distribution of every unit over ``replicates`` recomputations of the index.

    ``table`` holds the published points (survey components at their estimates); ``draws``
    the survey components' replicate points. The same seed gives the same intervals.
    """
    model = model_of(table, not_ranked, draws)
    return summarise(model, model.evaluate(draw_scenarios(model, replicates, seed)), level)


@dataclass(frozen=True)
class Movement:
    """A unit's change between two years and how sure it is."""

    unit: str
    delta_rank: int | None
    """Places climbed (positive) or lost (negative), published figures."""
    p_real: float | None
    """Share of paired replicates that moved the same way; None without a change to judge."""
    delta_pct: float | None
    p_pct_real: float | None


def movements(current: RankIntervals, previous: RankIntervals) -> tuple[Movement, ...]:
    """For each unit in both years: the probability that its change in rank (and in index %)
    is real, i.e. that a replicate of this year against a replicate of last year moves the
    same way as the published figures. The years' replicates are independent; replicate r of
    one year is paired with replicate r of the other (cycled when their counts differ)."""
    size = max(len(current.ranks), len(previous.ranks))
    now_rows = np.arange(size) % len(current.ranks)
    then_rows = np.arange(size) % len(previous.ranks)
    out = []
    for i, unit in enumerate(current.units):
        if unit not in previous.units:
            continue
        j = previous.unit(unit)
        delta_rank = int(previous.rank[j] - current.rank[i])
        moved = previous.ranks[then_rows, j] - current.ranks[now_rows, i]
        ranked = (current.rank[i] > 0) and (previous.rank[j] > 0)
        delta_pct = float(current.index_pct[i] - previous.index_pct[j])
        pct_moved = current.index_pcts[now_rows, i] - previous.index_pcts[then_rows, j]
        out.append(
            Movement(
                unit=unit,
                delta_rank=delta_rank if ranked else None,
                p_real=float(np.mean(np.sign(moved) == np.sign(delta_rank)))
                if ranked and delta_rank
                else None,
                delta_pct=None if np.isnan(delta_pct) else round(delta_pct, 2),
                p_pct_real=float(np.mean(np.sign(pct_moved) == np.sign(delta_pct)))
                if delta_pct and not np.isnan(delta_pct)
                else None,
            )
        )
    return tuple(out)
