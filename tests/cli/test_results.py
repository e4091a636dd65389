"""``parindex results import`` stores a published table, or names every fault and stores nothing."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import run

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "published"


def test_import_a_published_table_and_refuse_a_faulty_one(
    parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    migrated = run([*parindex_cmd, "manage", "migrate", "--noinput"], cli_env, tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    table = GOLDEN / "par_index_2024_provinces.csv"
    command = [*parindex_cmd, "results", "import", str(table), "--index", "par-index-province"]
    done = run([*command, "--year", "2024", "--ranked-of", "63"], cli_env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "par-index-province 2024: 6 units, 1 with a score" in done.stdout
    refused = run(command, cli_env, tmp_path)
    assert refused.returncode == 1
    assert "no year column: give the year" in refused.stdout
    assert "nothing imported: 1 problem(s)" in refused.stdout
