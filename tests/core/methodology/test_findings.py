"""One tiny invalid edition per finding kind: each is refused with a located, readable message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parindex.core.methodology import FINDING_CODES, Edition, load_edition

MINIMAL = Path(__file__).parent / "minimal"
CRITERION = "field-1/1.1.yaml"
COMPONENTS_HEAD = "id: '1.1'\nname_vi: Kế hoạch\nmax_points: 10\ncomponents:\n"
COMPONENT_B = "- id: 1.1.2\n  name_vi: b\n  max_points: 6\n"


def previous_edition(edition_id: str) -> Edition | None:
    if edition_id != "test-index/2023":
        return None
    report = load_edition(MINIMAL)
    assert report.value is not None
    return report.value.model_copy(update={"id": "test-index/2023"})


# (finding code, file to write, its content, expected message part, expected line)
CASES: list[tuple[str, str, str, str, int | None]] = [
    ("yaml-syntax", CRITERION, "id: '1.1'\nname_vi: [unclosed\n", "not valid YAML", 3),
    (
        "duplicate-key",
        CRITERION,
        COMPONENTS_HEAD
        + "- id: 1.1.1\n  name_vi: a\n  max_points: 4\n  max_points: 5\n"
        + COMPONENT_B,
        "key 'max_points' appears again (first on line 7)",
        8,
    ),
    (
        "unknown-key",
        CRITERION,
        COMPONENTS_HEAD + "- id: 1.1.1\n  name_vi: a\n  max_point: 4\n" + COMPONENT_B,
        "unknown key 'max_point'; did you mean 'max_points'?",
        7,
    ),
    (
        "missing-key",
        CRITERION,
        COMPONENTS_HEAD + "- id: 1.1.1\n  name_vi: a\n" + COMPONENT_B,
        "'components.0.max_points' is required",
        5,
    ),
    (
        "invalid-value",
        CRITERION,
        COMPONENTS_HEAD + "- id: 1.1.1\n  name_vi: a\n  max_points: -4\n" + COMPONENT_B,
        "components.0.max_points: Input should be greater than or equal to 0",
        7,
    ),
    (
        "invalid-value",
        CRITERION,
        COMPONENTS_HEAD + "- id: 1.10\n  name_vi: a\n  max_points: 4\n" + COMPONENT_B,
        "write ids as text in quotes",
        5,
    ),
    (
        "unknown-rule-kind",
        CRITERION,
        COMPONENTS_HEAD
        + "- id: 1.1.1\n  name_vi: a\n  max_points: 4\n  rule: {kind: formula}\n"
        + COMPONENT_B,
        "unknown rule kind 'formula'; known kinds: capped_ratio, count_bands, manual",
        8,
    ),
    (
        "rule-parameters",
        CRITERION,
        COMPONENTS_HEAD
        + "- id: 1.1.1\n  name_vi: a\n  max_points: 4\n  rule:\n    kind: capped_ratio\n"
        "    threshold: 80\n" + COMPONENT_B,
        "rule capped_ratio: threshold: Input should be less than or equal to 1",
        10,
    ),
    (
        "rule-parameters",
        CRITERION,
        COMPONENTS_HEAD
        + "- id: 1.1.1\n  name_vi: a\n  max_points: 4\n  rule:\n    kind: ratio_bands\n"
        "    bands: [{min: 0.5, share: 0.5}, {min: 1, share: 1}]\n" + COMPONENT_B,
        "bands must be listed from the highest min down",
        10,
    ),
    (
        "missing-file",
        "field-1/field.yaml",
        "id: '1'\nname_vi: x\nmax_points: 10\ncriteria: ['1.1', '1.2']\n",
        "criterion '1.2' is listed but 1.2.yaml does not exist",
        4,
    ),
    (
        "unlisted-file",
        "field-1/1.9.yaml",
        "id: '1.9'\nname_vi: x\nmax_points: 1\n",
        "1.9.yaml is not listed",
        None,
    ),
    (
        "duplicate-id",
        CRITERION,
        COMPONENTS_HEAD + "- id: 1.1.2\n  name_vi: a\n  max_points: 4\n" + COMPONENT_B,
        "id '1.1.2' is already used by a component",
        5,
    ),
    (
        "points-mismatch",
        CRITERION,
        COMPONENTS_HEAD + "- id: 1.1.1\n  name_vi: a\n  max_points: 3.5\n" + COMPONENT_B,
        "max_points 10 but its components sum to 9.5",
        1,
    ),
    (
        "field-points-mismatch",
        "field-1/field.yaml",
        "id: '1'\nname_vi: x\nmax_points: 12\ncriteria: ['1.1']\n",
        "max_points 12 but its criteria sum to 10",
        1,
    ),
    (
        "total-points-mismatch",
        "index.yaml",
        (MINIMAL / "index.yaml")
        .read_text("utf-8")
        .replace("total_points: 10", "total_points: 100"),
        "total_points 100 but the fields sum to 10",
        None,
    ),
    (
        "replaces-without-previous",
        "field-1/field.yaml",
        "id: '1'\nname_vi: x\nmax_points: 10\nreplaces: '1'\ncriteria: ['1.1']\n",
        "replaces '1' but index.yaml names no 'previous' edition",
        1,
    ),
    (
        "previous-unknown",
        "index.yaml",
        (MINIMAL / "index.yaml").read_text("utf-8") + "previous: test-index/1999\n",
        "previous edition 'test-index/1999' is not available",
        8,
    ),
    (
        "source-rule-mismatch",
        CRITERION,
        COMPONENTS_HEAD
        + "- id: 1.1.1\n  name_vi: a\n  max_points: 4\n  rule: {kind: survey_mapping, "
        "method: top_share, answers: ['4', '5']}\n" + COMPONENT_B,
        "rule survey_mapping needs a survey source",
        5,
    ),
    (
        "applies-to-outside",
        CRITERION,
        COMPONENTS_HEAD
        + "- id: 1.1.1\n  name_vi: a\n  max_points: 4\n  applies_to: [commune]\n"
        + COMPONENT_B,
        "applies_to names ['commune'], which the edition does not assess",
        5,
    ),
    (
        "scale-unknown-component",
        "index.yaml",
        (MINIMAL / "index.yaml").read_text("utf-8")
        + "grading: {basis: points, components: ['9.9.9'], bands: [{code: A, min: 5}, {code: B, min: 0}]}\n",
        "scale 'groups' names unknown nodes ['9.9.9']",
        None,
    ),
    (
        "weighting-unknown-field",
        "index.yaml",
        (MINIMAL / "index.yaml").read_text("utf-8")
        + "uncertainty: {field_weights: [{id: services, weights: {field-9: 2}}]}\n",
        "field weighting 'services' names fields ['field-9'] the edition does not have",
        None,
    ),
    (
        "mean-max-mismatch",
        "index.yaml",
        (MINIMAL / "index.yaml").read_text("utf-8") + "aggregation: mean\n",
        "a mean-aggregated edition scores every node on the same scale",
        5,
    ),
]


@pytest.mark.parametrize(
    ("code", "file", "content", "message", "line"),
    CASES,
    ids=[f"{case[0]}: {case[3][:40]}" for case in CASES],
)
def test_an_invalid_edition_is_refused_with_a_located_message(
    tmp_path: Path, code: str, file: str, content: str, message: str, line: int | None
) -> None:
    edition = tmp_path / "edition"
    shutil.copytree(MINIMAL, edition)
    (edition / file).write_text(content, "utf-8")
    report = load_edition(edition, resolve_previous=previous_edition)
    assert report.value is None
    matching = [f for f in report.findings if f.code == code and message in f.message]
    assert matching, "\n".join(str(f) for f in report.findings)
    # edition-wide findings sit in index.yaml; a wrong node in the file that defines it
    located = {"mean-max-mismatch": CRITERION}.get(code, file)
    assert matching[0].file.endswith(located)
    if line is not None:
        assert matching[0].line == line, str(matching[0])
    assert str(matching[0]).startswith(f"{matching[0].file}:")


def test_every_finding_code_has_a_case() -> None:
    tested = {case[0] for case in CASES} | {"excel-layout", "replaces-unknown"}
    assert tested == set(FINDING_CODES)


def test_a_replaces_link_must_exist_in_the_previous_edition(tmp_path: Path) -> None:
    edition = tmp_path / "edition"
    shutil.copytree(MINIMAL, edition)
    index = edition / "index.yaml"
    index.write_text(index.read_text("utf-8") + "previous: test-index/2023\n", "utf-8")
    field = edition / "field-1" / "field.yaml"
    field.write_text(
        "id: '1'\nname_vi: x\nmax_points: 10\nreplaces: '7'\ncriteria: ['1.1']\n", "utf-8"
    )
    report = load_edition(edition, resolve_previous=previous_edition)
    (finding,) = report.findings
    assert finding.code == "replaces-unknown"
    assert finding.message == "replaces '7', which edition test-index/2023 does not have"
    assert (finding.file.endswith("field.yaml"), finding.line, finding.node) == (True, 1, "1")
    field.write_text(
        "id: '1'\nname_vi: x\nmax_points: 10\nreplaces: '1'\ncriteria: ['1.1']\n", "utf-8"
    )
    assert load_edition(edition, resolve_previous=previous_edition).ok


def test_all_findings_come_together_not_one_at_a_time(tmp_path: Path) -> None:
    edition = tmp_path / "edition"
    shutil.copytree(MINIMAL, edition)
    (edition / CRITERION).write_text(
        COMPONENTS_HEAD
        + "- id: 1.1.1\n  name_vi: a\n  max_point: 4\n  colour: red\n- id: 1.1.2\n  name_vi: b\n",
        "utf-8",
    )
    codes = sorted(f.code for f in load_edition(edition).findings)
    assert codes == ["missing-key", "missing-key", "unknown-key", "unknown-key"]


def test_the_minimal_edition_itself_is_valid() -> None:
    report = load_edition(MINIMAL)
    assert report.ok, str(report)
    assert report.value is not None and report.value.counts() == {
        "fields": 1,
        "criteria": 1,
        "components": 2,
    }
