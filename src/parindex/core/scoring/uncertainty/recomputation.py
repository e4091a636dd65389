"""The replicate model: a points table's uncertain choices as arrays, evaluated for many
scenarios at once (index %, ranks and groups, replicates × units), and the scenarios drawn."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology import Aggregation, Edition
from parindex.core.scoring.points import PointsTable
from parindex.core.scoring.ranking import replicate_ranks
from parindex.core.scoring.uncertainty.choices import (
    DECLARED,
    FIELD_WEIGHTS,
    NA_CODES,
    NOT_APPLICABLE,
    ROUNDING,
    SURVEY,
    SURVEY_AGGREGATION,
    Array,
    Choice,
    Ints,
    SurveyDraws,
)
from parindex.core.scoring.uncertainty.replicate_index import replicate_index


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
        pct, total = replicate_index(
            self.edition, points, node_max_by_option, option, weights, table
        )
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
    na_rules = [NA_CODES[edition.not_applicable]]
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
        na_rules += [NA_CODES[r] for r in declared.not_applicable if NA_CODES[r] not in na_rules]
        if draws is not None:
            variants += [v for v in declared.survey_aggregation if v in draws.points]
    choices = []
    if draws is not None:
        choices.append(Choice(SURVEY, tuple(str(r) for r in range(draws.replicates))))
    codes = {code: rule.value for rule, code in NA_CODES.items()}
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
