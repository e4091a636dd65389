"""One exception tree for misuse and infrastructure.

Problems in what a user submitted (an edition, a workbook, a survey file) are returned as reports
of findings, not raised; these exceptions are for programming errors and broken environments.
"""

from __future__ import annotations


class ParindexError(Exception):
    """Root of every exception parindex raises on purpose."""


class ReferenceDataError(ParindexError):
    """Reference data shipped with parindex or a dependency is not what the code expects."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class UnknownUnitError(ParindexError):
    """A unit identifier that the hierarchy does not contain."""

    def __init__(self, unit: object) -> None:
        super().__init__(f"unknown unit {unit!r}: it is not in the hierarchy given")
        self.unit = unit


class HierarchyCycleError(ParindexError):
    """Parent links that loop back on themselves."""

    def __init__(self, unit: object) -> None:
        super().__init__(f"unit {unit!r} is its own ancestor: the parent links form a cycle")
        self.unit = unit


class FindingsError(ParindexError):
    """Findings where the caller had already checked the input (a programming error): raised
    with the findings, which name what was wrong."""

    def __init__(self, findings: tuple[object, ...]) -> None:
        shown = "; ".join(str(getattr(f, "message", f)) for f in findings[:5])
        super().__init__(f"{len(findings)} finding(s): {shown}")
        self.findings = findings
