from __future__ import annotations

import re
from pathlib import Path

import pytest

from parindex.server.config import DEV_SECRET_KEY, ConfigurationError, Settings


def test_defaults_run_on_sqlite_under_var() -> None:
    settings = Settings.from_environ({})
    assert settings.database_url == ""
    assert settings.sqlite_path == Path("var/parindex.sqlite3")
    assert not settings.production and not settings.demo


def test_environment_values_are_typed() -> None:
    settings = Settings.from_environ(
        {
            "PARINDEX_DEMO": "1",
            "PARINDEX_ALLOWED_HOSTS": "a.gov.vn, b.gov.vn",
            "PARINDEX_DATA_DIR": "/srv/p",
        }
    )
    assert settings.demo is True
    assert settings.allowed_hosts == ("a.gov.vn", "b.gov.vn")
    assert settings.data_dir == Path("/srv/p")


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PARINDEX_ENV": "production"}, "needs PARINDEX_SECRET_KEY"),
        (
            {"PARINDEX_ENV": "production", "PARINDEX_SECRET_KEY": DEV_SECRET_KEY},
            "not the development placeholder",
        ),
        ({"PARINDEX_ENV": "production", "PARINDEX_SECRET_KEY": "short"}, "32+ characters"),
        (
            {"PARINDEX_ENV": "production", "PARINDEX_SECRET_KEY": "x" * 40, "PARINDEX_DEBUG": "1"},
            "DEBUG must be off",
        ),
        ({"PARINDEX_ENV": "staging"}, "expected 'development' or 'production'"),
    ],
    ids=[
        "no secret",
        "the placeholder secret",
        "a short secret",
        "debug in production",
        "an unknown environment",
    ],
)
def test_production_refuses_to_start_unsafely(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        Settings.from_environ(environ)


def test_production_starts_with_a_real_secret() -> None:
    assert Settings.from_environ(
        {"PARINDEX_ENV": "production", "PARINDEX_SECRET_KEY": "k" * 50}
    ).production
