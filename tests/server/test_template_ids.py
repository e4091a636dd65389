"""A record's id written into a page is a code, not a number to read: with Vietnamese formats
(thousands separator ".") Django would write id 1034 as "1.034", and a form posting it back
would name no record (the plans form answered 500 once ids passed 1,000 on PostgreSQL). Every
``{{ … .pk }}`` in a template goes through ``unlocalize``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

SERVER = Path(__file__).resolve().parents[2] / "src" / "parindex" / "server"
RAW_ID = re.compile(r"\{\{\s*[\w.]+\.(?:pk|id)\s*\}\}")


def test_no_template_writes_a_record_id_through_number_formats() -> None:
    found = [
        f"{path.relative_to(SERVER)}: {match.group(0)}"
        for path in sorted(SERVER.rglob("*.html"))
        for match in RAW_ID.finditer(path.read_text(encoding="utf-8"))
        if not match.group(0).startswith("{{ row.component.id")  # criterion ids: "1.1.2", text
        and not match.group(0).startswith("{{ field.id")
    ]
    assert found == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_unlocalized_id_reads_as_digits_in_both_languages(language: str) -> None:
    # The filter the templates rely on, in the settings the site runs with.
    with translation.override(language):
        shown = Template("{% load l10n %}{{ pk }}|{{ pk|unlocalize }}").render(
            Context({"pk": 1034})
        )
    assert shown.split("|")[1] == "1034"
    if language == "vi":
        assert shown.split("|")[0] == "1.034"  # why the filter is needed
