"""Survey replicate points as rows: ``replicate, unit, component, points[, variant]``.

A survey's bootstrap replicates (``core.surveys.replicates``) give each survey-sourced
component's points once per replicate; the rank intervals use them as draws of what the survey
could have found. Every problem is a finding naming the row; a file with findings is not used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from parindex.core.findings import Finding, Report
from parindex.core.numbers import parse_number
from parindex.core.scoring.points import PointsTable
from parindex.core.scoring.uncertainty import DECLARED, SurveyDraws
from parindex.core.surveys.replicates import ReplicateEstimates

_MAX_FINDINGS = 50


@dataclass(frozen=True, slots=True)
class DrawRow:
    line: int
    replicate: str
    unit: str
    component: str
    points: str
    variant: str = ""


def draws_from_rows(
    table: PointsTable, rows: Iterable[DrawRow], source: str = "replicates"
) -> Report[SurveyDraws]:
    """Validate replicate rows against the points table they perturb.

    Replicates are numbered by whole numbers (any start); every replicate must give the same
    (unit, component) cells, each at most once, within [0, maximum]. Only survey-sourced
    components have replicates. ``variant`` names an alternative survey scoring the edition
    declares under ``uncertainty.survey_aggregation`` (empty: its own).
    """
    edition = table.edition
    layout = table.layout
    index = layout.node_index
    sources = {node.id: node.source for _f, _c, node in edition.scored()}
    declared = edition.uncertainty
    variants = {DECLARED, *(declared.survey_aggregation if declared else ())}
    units = {unit: i for i, unit in enumerate(table.units)}
    findings: list[Finding] = []
    cells: dict[str, dict[int, dict[tuple[int, int], float]]] = {}
    first_line: dict[tuple[str, int, int, int], int] = {}

    def refuse(row: DrawRow, code: str, message: str) -> None:
        findings.append(
            Finding(code, f"row {row.line}: {message}", source, row.line, row.component or None)
        )

    for row in rows:
        if len(findings) >= _MAX_FINDINGS:
            break
        variant = row.variant.strip() or DECLARED
        text = row.replicate.strip()
        if not text.isdigit():
            refuse(row, "invalid-value", f"replicate '{row.replicate}' is not a whole number")
            continue
        if row.unit not in units:
            refuse(row, "unknown-unit", f"unit '{row.unit}' is not in the points table")
            continue
        if row.component not in index:
            refuse(
                row,
                "unknown-component",
                f"component '{row.component}' is not in edition {edition.id}",
            )
            continue
        if not sources[row.component].startswith("survey"):
            refuse(
                row,
                "not-survey",
                f"component '{row.component}' is not scored by a survey "
                f"(source {sources[row.component]}): only survey components have replicates",
            )
            continue
        if variant not in variants:
            refuse(
                row,
                "unknown-variant",
                f"variant '{variant}' is not declared by edition {edition.id} "
                f"(declared: {', '.join(sorted(variants - {DECLARED})) or 'none'})",
            )
            continue
        try:
            points = parse_number(row.points)
        except ValueError:
            points = None
        j = index[row.component]
        maximum = float(layout.max_points[j])
        if points is None or not 0 <= points <= maximum + 1e-9:
            refuse(
                row,
                "invalid-value",
                f"points '{row.points}' must be a number from 0 to {maximum:g}",
            )
            continue
        replicate, u = int(text), units[row.unit]
        key = (variant, replicate, u, j)
        if key in first_line:
            refuse(
                row,
                "duplicate-row",
                f"replicate {replicate} gives unit '{row.unit}' component '{row.component}' "
                f"again (first on row {first_line[key]})",
            )
            continue
        first_line[key] = row.line
        cells.setdefault(variant, {}).setdefault(replicate, {})[(u, j)] = points
    if not findings and not cells:
        findings.append(Finding("empty", "no replicate rows", source))
    if not findings:
        findings += _incomplete(cells, table, source)
    if findings:
        return Report(None, tuple(findings))
    shape = (len(table.units), len(layout.node_ids))
    arrays = {}
    for variant, by_replicate in cells.items():
        numbers = sorted(by_replicate)
        array = np.full((len(numbers), *shape), np.nan)
        for r, number in enumerate(numbers):
            given = by_replicate[number]
            where = tuple(np.array(list(given)).T)
            array[(np.full(len(given), r), *where)] = list(given.values())
        arrays[variant] = array
    return Report(SurveyDraws(arrays), ())


def _incomplete(
    cells: dict[str, dict[int, dict[tuple[int, int], float]]], table: PointsTable, source: str
) -> list[Finding]:
    """Every replicate of every variant must give the same cells, and variants as many
    replicates as each other."""
    findings = []
    counts = {variant: len(by_replicate) for variant, by_replicate in cells.items()}
    if len(set(counts.values())) > 1:
        shown = ", ".join(f"{v}: {n}" for v, n in sorted(counts.items()))
        findings.append(
            Finding(
                "replicates-differ", f"variants have different replicate counts ({shown})", source
            )
        )
    for by_replicate in cells.values():
        numbers = sorted(by_replicate)
        reference = set(by_replicate[numbers[0]])
        for number in numbers[1:]:
            missing = reference - set(by_replicate[number])
            extra = set(by_replicate[number]) - reference
            if missing or extra:
                u, j = sorted(missing or extra)[0]
                what = "lacks" if missing else "has, unlike replicate " + str(numbers[0]) + ","
                findings.append(
                    Finding(
                        "incomplete-replicate",
                        f"replicate {number} {what} unit '{table.units[u]}' component "
                        f"'{table.layout.node_ids[j]}'",
                        source,
                        None,
                        table.layout.node_ids[j],
                    )
                )
                break
    return findings


def draws_from_estimates(
    estimates: ReplicateEstimates, table: PointsTable, variant: str = DECLARED
) -> SurveyDraws:
    """Survey draws from replicate estimates of survey scores (domains = units, variables =
    survey component ids, scores in [0, 1]): each replicate's points are maximum × score.
    Units or components the estimates do not cover keep their points."""
    layout = table.layout
    index = layout.node_index
    array = np.full((estimates.replicates.shape[0], len(table.units), len(layout.node_ids)), np.nan)
    units = [table.units.index(d) for d in estimates.domains if d in table.units]
    domains = [i for i, d in enumerate(estimates.domains) if d in table.units]
    for v, node in enumerate(estimates.variables):
        if node in index:
            j = index[node]
            scores = estimates.replicates[:, domains, v]
            array[:, units, j] = np.clip(scores, 0.0, 1.0) * layout.max_points[j]
    return SurveyDraws({variant: array})
