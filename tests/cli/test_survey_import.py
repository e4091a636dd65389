"""``parindex survey import``: a Kobo-style CSV export through the real intake, on SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from parindex.core.surveys.ballot import ballot_code
from tests.cli.conftest import run

SETUP = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.server.settings")
django.setup()
from datetime import datetime, timezone
from parindex.core.surveys.ballot import ballot_code, normalise
from parindex.server.surveys.models import SampledUnit, Survey
survey = Survey.objects.create(slug="tinh-2026", name="Khảo sát tỉnh", questionnaire="sipas-2023-citizens",
    edition="sipas/2023", opens_at=datetime(2026, 8, 1, tzinfo=timezone.utc),
    closes_at=datetime(2026, 9, 30, 17, tzinfo=timezone.utc))
for position in range(3):
    code = normalise(ballot_code(b"k", "tinh-2026", position))
    SampledUnit.objects.create(survey=survey, position=position, code=code,
        domain="Tỉnh Lạng Sơn", stratum="20", clusters=[1, 1, position], population=[10, 5, 100],
        inclusion_probability=0.01)
"""


def prepare(parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path) -> None:
    assert (
        run([*parindex_cmd, "manage", "migrate", "--verbosity", "0"], cli_env, tmp_path).returncode
        == 0
    )
    subprocess.run([sys.executable, "-c", SETUP], env=cli_env, cwd=tmp_path, check=True)


def export(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["ballot_code,_submission_time,q9_15,q9_16"] + [f"{c},{t},{a},5" for c, t, a in rows]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_an_export_is_taken_in_once_with_what_is_kept_aside_reported(
    parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    prepare(parindex_cmd, cli_env, tmp_path)
    code = [ballot_code(b"k", "tinh-2026", p) for p in range(4)]
    file = export(
        tmp_path / "kobo.csv",
        [
            (code[0], "2026-09-01T08:00:00+07:00", "4"),
            (code[0].lower(), "2026-09-02T08:00:00+07:00", "5"),  # the same ballot again
            (code[1], "2026-10-02T08:00:00+07:00", "3"),  # after the close
            (code[3], "2026-09-03T08:00:00+07:00", "4"),  # a code never issued in this sample
            ("ABCD-EFGH-JKM", "2026-09-03T09:00:00+07:00", "4"),  # not a code
            (code[2], "2026-09-04T08:00:00Z", "2"),
        ],
    )
    command = [
        *parindex_cmd,
        "survey",
        "import",
        "--survey",
        "tinh-2026",
        "--file",
        str(file),
        "--channel",
        "kobo",
    ]
    first = run(command, cli_env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert (
        "2 counted; kept aside: duplicate 1, invalid_code 1, late 1, out_of_sample 1"
        in first.stdout
    )
    again = run(command, cli_env, tmp_path)
    assert "0 counted" in again.stdout and "duplicate 3" in again.stdout


def test_a_bad_time_stops_the_import_before_anything_is_counted(
    parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    prepare(parindex_cmd, cli_env, tmp_path)
    code = ballot_code(b"k", "tinh-2026", 0)
    file = export(
        tmp_path / "bad.csv", [(code, "2026-09-01T08:00:00+07:00", "4"), (code, "ngày mai", "4")]
    )
    result = run(
        [*parindex_cmd, "survey", "import", "--survey", "tinh-2026", "--file", str(file)],
        cli_env,
        tmp_path,
    )
    assert result.returncode == 1
    assert (
        "row 3: 'ngày mai' in '_submission_time' is not a date and time; nothing imported"
        in result.stderr
    )
    fixed = export(tmp_path / "ok.csv", [(code, "2026-09-01T08:00:00+07:00", "4")])
    retry = run(
        [*parindex_cmd, "survey", "import", "--survey", "tinh-2026", "--file", str(fixed)],
        cli_env,
        tmp_path,
    )
    assert "1 counted" in retry.stdout, "nothing was counted by the refused file"
