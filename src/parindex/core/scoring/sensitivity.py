"""Sensitivity: which declared choice moves a unit's rank, and by how much.

Sobol indices (SALib) of each uncertain choice — and of the survey's sampling, when replicate
draws are given — on each unit's rank: *first order*, the share of the rank's variance the
choice explains alone; *total*, with all its interactions. Choices are discrete, so each
Sobol coordinate in [0, 1) picks an option by its position. The one-at-a-time view changes one
choice at a time and says what the unit's rank would be, as a message code with parameters
that the server translates (``MESSAGES`` holds the English text).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from parindex.core.scoring.uncertainty import (
    FIELD_WEIGHTS,
    NOT_APPLICABLE,
    SURVEY,
    Model,
)

Array = NDArray[np.float64]

MESSAGES: dict[str, str] = {
    "oat.field_weights.changes": "With the field weighting “{option}” your rank would be "
    "{rank}, not {published}.",
    "oat.field_weights.same": "With the field weighting “{option}” your rank would stay "
    "{published}.",
    "oat.rounding.changes": "Rounded to {option} decimals your rank would be {rank}, "
    "not {published}.",
    "oat.rounding.same": "Rounded to {option} decimals your rank would stay {published}.",
    "oat.not_applicable.changes": "With components not applicable counted as “{option}” your "
    "rank would be {rank}, not {published}.",
    "oat.not_applicable.same": "With components not applicable counted as “{option}” your "
    "rank would stay {published}.",
    "oat.survey_aggregation.changes": "With the survey scored as “{option}” your rank would be "
    "{rank}, not {published}.",
    "oat.survey_aggregation.same": "With the survey scored as “{option}” your rank would stay "
    "{published}.",
}


@dataclass(frozen=True)
class Statement:
    """A sentence as a message code and its parameters, for the reader's language."""

    code: str
    params: dict[str, str | int] = field(default_factory=dict)

    def text(self, table: dict[str, str] = MESSAGES) -> str:
        return table[self.code].format(**self.params)


@dataclass(frozen=True, eq=False)
class SobolIndices:
    """Units × factors (the model's choices, survey sampling first when drawn)."""

    units: tuple[str, ...]
    factors: tuple[str, ...]
    first: Array
    total: Array
    first_conf: Array
    total_conf: Array
    evaluations: int

    def for_unit(self, unit: str) -> dict[str, tuple[float, float]]:
        """Each factor's (first-order, total) index for one unit."""
        u = self.units.index(unit)
        return {
            f: (float(self.first[u, j]), float(self.total[u, j]))
            for j, f in enumerate(self.factors)
        }


def sobol(model: Model, base_samples: int = 256, seed: int = 0) -> SobolIndices:
    """First-order and total Sobol indices of every choice on every unit's rank.

    ``base_samples`` (a power of 2) × (factors + 2) scenarios are evaluated at once; a unit
    whose rank never moves gets indices of 0 (nothing to explain).
    """
    from SALib.analyze import sobol as analyse
    from SALib.sample import sobol as sample

    choices = model.choices
    if not choices:
        raise ValueError(f"edition {model.edition.id} declares no uncertain choice")
    names = [c.name for c in choices]
    if len(names) == 1:
        names.append("_dummy")  # SALib needs two factors; a dummy's indices are 0 by design
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    x = sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    scenarios = {
        c.name: np.minimum((x[:, j] * len(c.options)).astype(np.int64), len(c.options) - 1)
        for j, c in enumerate(choices)
    }
    ranks = model.evaluate(scenarios, len(x)).ranks.astype(float)
    units = model.table.units
    shape = (len(units), len(choices))
    first, total = np.zeros(shape), np.zeros(shape)
    first_conf, total_conf = np.zeros(shape), np.zeros(shape)
    for u in np.flatnonzero(ranks.std(axis=0) > 0):  # analysis per unit, after the hot path
        result = analyse.analyze(
            problem, ranks[:, u], calc_second_order=False, num_resamples=50, seed=seed
        )
        first[u] = np.asarray(result["S1"])[: len(choices)]
        total[u] = np.asarray(result["ST"])[: len(choices)]
        first_conf[u] = np.asarray(result["S1_conf"])[: len(choices)]
        total_conf[u] = np.asarray(result["ST_conf"])[: len(choices)]
    return SobolIndices(
        units=units,
        factors=tuple(c.name for c in choices),
        first=first,
        total=total,
        first_conf=first_conf,
        total_conf=total_conf,
        evaluations=len(x),
    )


_NA_WORDS = {"rescale": "left out", "zero": "zero", "full": "full marks"}


def one_at_a_time(model: Model, unit: str) -> tuple[Statement, ...]:
    """What the unit's rank would be with each other option of each choice, the others kept
    as the edition declares them (the survey at its estimates)."""
    u = model.table.units.index(unit)
    return tuple(
        _statement(option, ranks[u], declared[u]) for option, ranks, declared in _oat(model)
    )


def one_at_a_time_all(model: Model) -> dict[str, tuple[Statement, ...]]:
    """``one_at_a_time`` for every ranked unit, from one evaluation per choice (all units at
    once): what a page stores beside the rank intervals."""
    found = list(_oat(model))
    if not found:
        return {}
    ranked = found[0][2] > 0
    return {
        unit: tuple(_statement(option, ranks[u], declared[u]) for option, ranks, declared in found)
        for u, unit in enumerate(model.table.units)
        if ranked[u]
    }


@dataclass(frozen=True)
class _Option:
    choice: str
    option: str
    shown: str


def _oat(model: Model) -> Iterator[tuple[_Option, NDArray[np.int64], NDArray[np.int64]]]:
    """Per other option of each choice (survey sampling aside): the option, every unit's rank
    with it, and every unit's rank as declared."""
    declared = model.evaluate(model.declared()).ranks[0]
    names = {FIELD_WEIGHTS: _weighting_names(model)}
    for choice in model.choices:
        if choice.name == SURVEY:
            continue
        alternatives = np.arange(1, len(choice.options))
        scenario = model.declared(len(alternatives))
        scenario[choice.name] = alternatives
        ranks = model.evaluate(scenario, len(alternatives)).ranks
        for k, option in enumerate(choice.options[1:]):
            shown = names.get(choice.name, {}).get(option, option)
            if choice.name == NOT_APPLICABLE:
                shown = _NA_WORDS.get(option, option)
            yield _Option(choice.name, option, shown), ranks[k], declared


def _statement(option: _Option, rank: np.int64, declared: np.int64) -> Statement:
    code = f"oat.{option.choice}.{'changes' if rank != declared else 'same'}"
    params: dict[str, str | int] = {"option": option.shown, "rank": int(rank)}
    params |= {"published": int(declared), "value": option.option}
    return Statement(code, params)


def _weighting_names(model: Model) -> dict[str, str]:
    declared = model.edition.uncertainty
    if declared is None:
        return {}
    return {w.id: w.name_en or w.name_vi or w.id for w in declared.field_weights}
