"""CLI tests run the installed ``parindex`` command in a subprocess, on a throw-away SQLite file."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def parindex_cmd() -> list[str]:
    found = shutil.which("parindex")
    assert found, "the parindex console script is not installed in this environment"
    return [found]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARINDEX_", "DJANGO_"))}
    env["DATABASE_URL"] = ""
    env["PARINDEX_DATA_DIR"] = str(tmp_path / "data")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
