"""Findings: what is wrong with something a user submitted, located so it can be fixed.

A loader collects every finding and returns them together in a report; it never stops at the
first one and never shows a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

FINDING_CODES: dict[str, str] = {
    "yaml-syntax": "the file is not valid YAML",
    "duplicate-key": "a key appears twice in one mapping",
    "unknown-key": "a key the model does not know (often a typo)",
    "missing-key": "a required key is absent",
    "invalid-value": "a value of the wrong type or out of range",
    "unknown-rule-kind": "a rule kind outside the closed registry",
    "rule-parameters": "rule parameters that do not fit the rule kind",
    "missing-file": "a file or folder listed but not present",
    "unlisted-file": "a file or folder present but not listed, so not loaded",
    "duplicate-id": "two nodes share one id",
    "points-mismatch": "a criterion's maximum differs from the sum of its components",
    "field-points-mismatch": "a field's maximum differs from the sum of its criteria",
    "total-points-mismatch": "the total differs from the sum of the fields",
    "mean-max-mismatch": "in a mean-aggregated edition every node's maximum must equal the total",
    "previous-unknown": "the previous edition named is not available",
    "replaces-without-previous": "a node replaces something but the edition names no previous one",
    "replaces-unknown": "a node replaces an id the previous edition does not have",
    "source-rule-mismatch": "a survey rule on a node not sourced from a survey, or the reverse",
    "applies-to-outside": "a node applies to unit kinds the edition does not assess",
    "scale-unknown-component": "a grading scale names a node the edition does not have",
    "weighting-unknown-field": "an uncertain field weighting names a field the edition does not have",
    "excel-layout": "a workbook whose layout cannot be read as an appendix table",
}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    file: str
    line: int | None = None
    node: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    """The values in ``message`` by name, for a reader that says the code's sentence in another
    language (the server's translations); empty where the message is the only wording."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.node or '-'}: {self.message}"


@dataclass(frozen=True)
class Report(Generic[T]):
    """The result of reading user input: the value when it is sound, and every finding."""

    value: T | None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.value is not None and not self.findings

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)


def sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (f.file, f.line or 0, f.code, f.message)))
