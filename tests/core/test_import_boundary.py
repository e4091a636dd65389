"""DESIGN.md rule 1: the pure core imports no web framework, no ORM and no outer layer."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import parindex.core

FORBIDDEN = (
    "django",
    "ninja",
    "sqlalchemy",
    "peewee",
    "psycopg",
    "rules",
    "parindex.server",
    "parindex.reports",
    "parindex.cli",
)
CORE_DIR = Path(parindex.core.__file__).parent


def imported_names(source: str) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def is_forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("import numpy", False),
        ("from django.db import models", True),
        ("import parindex.server.settings", True),
        ("from parindex.cli import main", True),
        ("from parindex.core.units import UnitKind", False),
        ("def f():\n    import django\n", True),
    ],
    ids=[
        "numpy is allowed",
        "django is not",
        "the server is not",
        "the CLI is not",
        "core itself is",
        "an import hidden in a function is still found",
    ],
)
def test_the_checker_tells_allowed_from_forbidden(source: str, forbidden: bool) -> None:
    assert any(is_forbidden(n) for n in imported_names(source)) is forbidden


def test_no_core_module_imports_an_outer_layer() -> None:
    offenders = [
        f"{path.relative_to(CORE_DIR.parent)}: {name}"
        for path in sorted(CORE_DIR.rglob("*.py"))
        for name in imported_names(path.read_text("utf-8"))
        if is_forbidden(name)
    ]
    assert offenders == []


def test_importing_all_of_core_loads_no_forbidden_module() -> None:
    modules = [m.name for m in pkgutil.walk_packages([str(CORE_DIR)], prefix="parindex.core.")]
    assert "parindex.core.units.reference" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", script], check=True, capture_output=True, text=True
        ).stdout
    )
    assert [name for name in loaded if is_forbidden(name)] == []
