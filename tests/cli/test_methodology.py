"""``parindex methodology``: the contract later tools rely on, run as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parindex.core.methodology import load_edition

MINIMAL = Path(__file__).parents[1] / "core" / "methodology" / "minimal"


def parindex(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("parindex")
    assert executable
    return subprocess.run(
        [executable, "methodology", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_list_as_json_gives_the_edition_ids() -> None:
    result = parindex("list", "--format", "json")
    assert result.returncode == 0
    ids = json.loads(result.stdout)
    assert "par-index-province/2023" in ids and "sipas/2023" in ids


def test_show_as_json_gives_the_tree_in_the_agreed_shape() -> None:
    result = parindex("show", "par-index-province/2023", "--format", "json")
    assert result.returncode == 0, result.stderr
    tree = json.loads(result.stdout)
    assert {"id", "total_points", "fields"} <= set(tree)
    field = tree["fields"][0]
    assert {"id", "name_vi", "name_en", "max_points", "criteria"} <= set(field)
    criterion = field["criteria"][0]
    assert {"id", "name_vi", "max_points", "components"} <= set(criterion)
    component = criterion["components"][0]
    assert {"id", "name_vi", "max_points", "source", "rule"} <= set(component)
    assert "kind" in component["rule"]
    assert sum(len(c["components"]) for f in tree["fields"] for c in f["criteria"]) == 88
    assert sum(f["max_points"] for f in tree["fields"]) == tree["total_points"] == 100


def test_validate_passes_a_sound_edition() -> None:
    result = parindex("validate", str(MINIMAL))
    assert result.returncode == 0
    assert result.stdout.startswith("ok: test-index/2024: 1 fields, 1 criteria, 2 components")


def test_validate_prints_file_line_node_message_and_exits_1(tmp_path: Path) -> None:
    edition = tmp_path / "edition"
    shutil.copytree(MINIMAL, edition)
    criterion = edition / "field-1" / "1.1.yaml"
    criterion.write_text(
        criterion.read_text("utf-8").replace("max_points: 4", "max_pionts: 4"), "utf-8"
    )
    result = parindex("validate", str(edition))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"{criterion}:7: 1.1.1: unknown key 'max_pionts'; did you mean 'max_points'?" in lines
    assert f"{criterion}:5: 1.1.1: 'components.0.max_points' is required" in lines
    assert lines[-1] == "2 findings"
    assert "Traceback" not in result.stderr


def test_diff_names_changes_and_comparable_nodes() -> None:
    result = parindex("diff", "par-index-province/2017", "par-index-province/2023")
    assert result.returncode == 0
    assert "max_changed   field      1 → 1: max points 10 → 9" in result.stdout
    assert (
        result.stdout.strip().splitlines()[-1].endswith("comparable with par-index-province/2017")
    )


def test_export_then_import_excel_gives_back_the_same_edition(tmp_path: Path) -> None:
    workbook = tmp_path / "876.xlsx"
    assert parindex("export-excel", "par-index-ministry/2023", str(workbook)).returncode == 0
    assert load_workbook(workbook)["Bộ chỉ số"]["A4"].value == "STT"
    out = tmp_path / "imported"
    result = parindex("import-excel", str(workbook), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert parindex("validate", str(out)).returncode == 0
    original = parindex("show", "par-index-ministry/2023", "--format", "json").stdout
    assert json.loads(parindex("show", str(out), "--format", "json").stdout) == json.loads(original)


def test_import_of_an_official_appendix_takes_the_header_from_options(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "phu-luc.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (
        ["STT", "Nội dung", "Điểm tối đa"],
        ["I", "Chỉ đạo điều hành", 2],
        ["1", "Kế hoạch", 2],
        ["1.1", "Đúng hạn", 2],
    ):
        sheet.append(row)
    workbook.save(path)
    out = tmp_path / "edition"
    args = [
        "import-excel",
        str(path),
        "--out",
        str(out),
        "--id",
        "tinh-thu/2026",
        "--title",
        "Bộ chỉ số tỉnh",
        "--unit-kind",
        "department",
        "--first-year",
        "2026",
        "--status",
        "official",
    ]
    missing = parindex(*args[:4])
    assert missing.returncode == 1 and "'id' is required" in missing.stderr
    result = parindex(*args)
    assert result.returncode == 0, result.stderr
    report = load_edition(out)
    assert report.value is not None and report.value.id == "tinh-thu/2026"
    assert [c.id for _f, _c, c in report.value.scored()] == ["1.1.1"]


@pytest.mark.parametrize("command", [["show", "no-such/edition"], ["validate", "/nonexistent"]])
def test_an_unknown_edition_is_a_clear_error(command: list[str]) -> None:
    result = parindex(*command)
    assert result.returncode == 1
    assert "no index.yaml in this folder" in result.stderr
