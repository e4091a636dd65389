"""``parindex results import`` stores a published table, or names every fault and stores nothing;
``parindex report`` writes the year as PDF and as a workbook."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cli.conftest import run

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "published"


def test_import_a_published_table_refuse_a_faulty_one_and_report(
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

    table = GOLDEN / "par_index_2021_provinces.csv"
    load = [*parindex_cmd, "results", "import", str(table), "--index", "par-index-province"]
    assert run([*load, "--year", "2021", "--ranked-of", "63"], cli_env, tmp_path).returncode == 0
    report = [*parindex_cmd, "report", "--index", "par-index-province", "--year", "2021"]
    made = run([*report, "--out", str(tmp_path / "2021.pdf")], cli_env, tmp_path)
    assert made.returncode == 0, made.stderr + made.stdout
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "2021.pdf").pages)
    assert "Thành phố Hải Phòng" in text and "91,80" in text and "1/63" in text
    assert "86,37" in text, "the average the source states"
    made = run([*report, "--lang", "en", "--out", str(tmp_path / "2021.xlsx")], cli_env, tmp_path)
    assert made.returncode == 0, made.stderr
    book = load_workbook(io.BytesIO((tmp_path / "2021.xlsx").read_bytes()))
    assert book.sheetnames[0] == "Source" and "Ranking" in book.sheetnames
    wrong = run([*report, "--out", str(tmp_path / "2021.docx")], cli_env, tmp_path)
    assert wrong.returncode == 2 and "written as .pdf or .xlsx" in wrong.stdout
