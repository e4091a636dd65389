"""``parindex assessments remind`` runs on the configured database and says what it sent."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import run


def test_remind_runs_daily_on_the_configured_database(
    parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    migrated = run([*parindex_cmd, "manage", "migrate", "--noinput"], cli_env, tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    result = run([*parindex_cmd, "assessments", "remind"], cli_env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "deadline reminders: 0 e-mails sent (7 and 1 days before each deadline)" in (
        result.stdout
    )
