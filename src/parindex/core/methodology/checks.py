"""Semantic checks of an edition that parsed: ids, sums, links to the previous edition, rules."""

from __future__ import annotations

from collections.abc import Callable

from parindex.core.findings import Finding
from parindex.core.methodology.edition import Aggregation, Edition
from parindex.core.methodology.nodes import NodeBase, walk
from parindex.core.methodology.rules import SurveyMappingRule

Locator = Callable[[str], tuple[str, int | None]]
"""Where a node id was written: (file, line)."""

TOLERANCE = 1e-9


def _differs(a: float, b: float) -> bool:
    return abs(a - b) > TOLERANCE * max(1.0, abs(a), abs(b))


def _fmt(points: float) -> str:
    return f"{points:g}"


def check_edition(edition: Edition, locate: Locator, previous: Edition | None) -> list[Finding]:
    findings: list[Finding] = []

    def add(code: str, node: NodeBase | None, message: str, node_id: str | None = None) -> None:
        key = node.id if node is not None else (node_id or "")
        file, line = locate(key)
        findings.append(Finding(code, message, file, line, key or None))

    seen: dict[str, str] = {}
    for level, node, _parent in walk(edition.fields):
        if node.id in seen:
            add("duplicate-id", node, f"id '{node.id}' is already used by a {seen[node.id]}")
        else:
            seen[node.id] = level

    if edition.aggregation is Aggregation.SUM:
        findings += _check_sums(edition, add)
    else:
        for _level, node, _parent in walk(edition.fields):
            if _differs(node.max_points, edition.total_points):
                add(
                    "mean-max-mismatch",
                    node,
                    f"max_points {_fmt(node.max_points)} differs from the total "
                    f"{_fmt(edition.total_points)}: a mean-aggregated edition scores every node "
                    "on the same scale",
                )

    _check_links(edition, previous, add)

    kinds = set(edition.unit_kinds)
    for _field, _criterion, node in edition.scored():
        is_survey = node.source.startswith("survey:")
        if isinstance(node.rule, SurveyMappingRule) and not is_survey:
            add(
                "source-rule-mismatch",
                node,
                f"rule survey_mapping needs a survey source (survey:<group>), not '{node.source}'",
            )
        outside = [k.value for k in node.applies_to if k not in kinds]
        if outside:
            add(
                "applies-to-outside",
                node,
                f"applies_to names {outside}, which the edition does not assess "
                f"(unit_kinds: {[k.value for k in edition.unit_kinds]})",
            )

    scored_ids = {node.id for _f, _c, node in edition.scored()}
    for scale in (*((edition.grading,) if edition.grading else ()), *edition.other_scales):
        unknown = [c for c in scale.components if c not in scored_ids]
        if unknown:
            add(
                "scale-unknown-component", None, f"scale '{scale.id}' names unknown nodes {unknown}"
            )
    field_ids = {field.id for field in edition.fields}
    for weighting in edition.uncertainty.field_weights if edition.uncertainty else ():
        unknown = sorted(set(weighting.weights) - field_ids)
        if unknown:
            add(
                "weighting-unknown-field",
                None,
                f"field weighting '{weighting.id}' names fields {unknown} the edition does not have",
            )
    return findings


def _check_sums(edition: Edition, add: Callable[..., None]) -> list[Finding]:
    total = 0.0
    for field in edition.fields:
        field_sum = 0.0
        for criterion in field.criteria:
            field_sum += criterion.max_points
            if criterion.components:
                parts = sum(c.max_points for c in criterion.components)
                if _differs(parts, criterion.max_points):
                    add(
                        "points-mismatch",
                        criterion,
                        f"max_points {_fmt(criterion.max_points)} but its components sum to "
                        f"{_fmt(parts)}",
                    )
        if _differs(field_sum, field.max_points):
            add(
                "field-points-mismatch",
                field,
                f"max_points {_fmt(field.max_points)} but its criteria sum to {_fmt(field_sum)}",
            )
        total += field.max_points
    if _differs(total, edition.total_points):
        add(
            "total-points-mismatch",
            None,
            f"total_points {_fmt(edition.total_points)} but the fields sum to {_fmt(total)}",
        )
    return []


def _check_links(edition: Edition, previous: Edition | None, add: Callable[..., None]) -> None:
    replacing = [(node, node.replaces) for _l, node, _p in walk(edition.fields) if node.replaces]
    if not replacing:
        return
    if edition.previous is None:
        node, target = replacing[0]
        add(
            "replaces-without-previous",
            node,
            f"replaces '{target}' but index.yaml names no 'previous' edition "
            f"({len(replacing)} nodes have 'replaces')",
        )
        return
    if previous is None:
        return  # reported once as previous-unknown by the loader
    known = {node.id for _l, node, _p in walk(previous.fields)}
    for node, target in replacing:
        if target not in known:
            add(
                "replaces-unknown",
                node,
                f"replaces '{target}', which edition {previous.id} does not have",
            )
