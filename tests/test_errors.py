"""One error scheme: every exception parindex defines descends from ``ParindexError`` (problems
in what a user submitted are returned as reports of findings, not raised)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from parindex.core.errors import ParindexError

SRC = Path(__file__).resolve().parents[1] / "src" / "parindex"


def _exception_classes() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
        if not classes:
            continue
        name = module.removesuffix(".__init__")
        loaded = importlib.import_module(name)
        # Every class that is an exception, whatever its name (a "PlanRefused" counts too).
        found.extend(
            (name, cls)
            for cls in classes
            if isinstance(getattr(loaded, cls, None), type)
            and issubclass(getattr(loaded, cls), BaseException)
        )
    return found


def test_there_are_exceptions_to_check() -> None:
    names = {name for _module, name in _exception_classes()}
    assert {"ParindexError", "WorkflowError", "AssessmentError", "TableError"} <= names


@pytest.mark.parametrize(("module", "name"), _exception_classes(), ids=lambda v: str(v))
def test_every_exception_is_a_parindex_error(module: str, name: str) -> None:
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, ParindexError), f"{module}.{name} stands outside ParindexError"
