"""Docs that cannot drift: the CLI reference and the settings table follow the code."""

from __future__ import annotations

from pathlib import Path

from parindex.cli.reference import cli_reference
from parindex.server.config import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_cli_reference_is_generated_from_the_current_parser() -> None:
    assert (DOCS / "cli.md").read_text("utf-8") == cli_reference(), (
        "docs/cli.md is stale: uv run python -m parindex.cli.reference > docs/cli.md"
    )


def test_every_setting_is_documented_with_its_variable() -> None:
    text = (DOCS / "configuration.md").read_text("utf-8")
    missing = [
        spec.metadata["env"]
        for spec in Settings.__dataclass_fields__.values()
        if f"`{spec.metadata['env']}`" not in text
    ]
    assert missing == []


def test_the_readme_quick_start_is_the_two_commands_ci_runs() -> None:
    readme = (DOCS.parent / "README.md").read_text("utf-8")
    ci = (DOCS.parent / ".ci" / "run").read_text("utf-8")
    assert "uv run parindex demo" in readme
    assert "uv run pytest" in readme
    assert "DATABASE_URL= uv run pytest\n" in ci
    assert 'DATABASE_URL="$pg_url" uv run pytest\n' in ci


def test_every_methodology_finding_code_is_documented() -> None:
    from parindex.core.methodology import FINDING_CODES

    text = (DOCS / "methodology.md").read_text("utf-8")
    assert [code for code in FINDING_CODES if f"| `{code}` |" not in text] == []


def test_every_rule_kind_is_documented() -> None:
    from parindex.core.methodology.rules import RULE_KINDS

    text = (DOCS / "methodology.md").read_text("utf-8")
    assert [kind for kind in RULE_KINDS if f"| `{kind}` |" not in text] == []
