"""Methodology editions as data: models, strict loader, validation report, diff, Excel import."""

from parindex.core.findings import FINDING_CODES, Finding, Report
from parindex.core.methodology.diff import Change, ChangeKind, EditionDiff, diff_editions
from parindex.core.methodology.edition import (
    Aggregation,
    Edition,
    EditionHeader,
    EditionStatus,
    Grade,
    GradingScale,
    NotApplicableRule,
)
from parindex.core.methodology.loader import load_edition
from parindex.core.methodology.nodes import ComponentNode, CriterionNode, FieldNode, ScoringSpec
from parindex.core.methodology.shipped import load_any, load_shipped, shipped_edition_ids
from parindex.core.methodology.writer import write_edition

__all__ = [
    "FINDING_CODES",
    "Aggregation",
    "Change",
    "ChangeKind",
    "ComponentNode",
    "CriterionNode",
    "Edition",
    "EditionDiff",
    "EditionHeader",
    "EditionStatus",
    "FieldNode",
    "Finding",
    "Grade",
    "GradingScale",
    "NotApplicableRule",
    "Report",
    "ScoringSpec",
    "diff_editions",
    "load_any",
    "load_edition",
    "load_shipped",
    "shipped_edition_ids",
    "write_edition",
]
