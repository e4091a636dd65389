from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import run


def test_check_reports_unapplied_migrations_until_they_are_applied(
    parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    before = run([*parindex_cmd, "check"], cli_env, tmp_path)
    assert before.returncode == 1
    assert "migrations are not applied" in before.stdout
    assert "parindex manage migrate" in before.stdout

    migrate = run([*parindex_cmd, "manage", "migrate", "--verbosity", "0"], cli_env, tmp_path)
    assert migrate.returncode == 0, migrate.stderr

    after = run([*parindex_cmd, "check"], cli_env, tmp_path)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "no problems found" in after.stdout


def test_serve_refuses_an_unmigrated_database_with_the_fix(
    parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = run([*parindex_cmd, "serve", "--port", "1"], cli_env, tmp_path)
    assert result.returncode == 1
    assert "parindex serve --migrate" in result.stdout


def test_production_refuses_to_start_with_the_placeholder_secret(
    parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = run([*parindex_cmd, "check"], {**cli_env, "PARINDEX_ENV": "production"}, tmp_path)
    assert result.returncode != 0
    assert "PARINDEX_SECRET_KEY" in result.stderr
