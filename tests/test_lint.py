"""Lint, format and strict typing of the core are part of the suite, so CI enforces them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "src", "tests"],
        ["ruff", "format", "--check", "src", "tests"],
        ["mypy"],
    ],
    ids=["ruff check", "ruff format", "mypy: strict on core, django-stubs on server, cli, reports"],
)
def test_the_code_passes(command: list[str]) -> None:
    executable = shutil.which(command[0])
    assert executable, f"{command[0]} is a dev dependency and must be installed"
    result = subprocess.run([executable, *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
