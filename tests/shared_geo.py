"""The province boundary files of the team's shared folder (``../shared/geo/`` beside the
repository), read in place: they are never copied into the project (licence and size)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[1].parent / "shared" / "geo"


def shared_geo(name: str) -> Path:
    """``../shared/geo/<name>`` relative to the repository; skipped without it on a developer's
    machine, a failure under CI."""
    path = GEO / name
    if not path.is_file():
        message = f"{path} is not there (the shared boundary files sit beside the repository)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
