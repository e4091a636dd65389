"""The Vietnamese catalogue is complete, compiles, and matches the strings in the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from parindex.server.translations import LOCALE_DIR, compile_catalogues

PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"


def messages(path: Path) -> dict[str, str]:
    with path.open("rb") as source:
        catalog = read_po(source)
    assert not any(m.fuzzy for m in catalog if m.id), "fuzzy entries are not shown to users"
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_every_message_has_a_vietnamese_translation() -> None:
    untranslated = [msgid for msgid, msgstr in messages(PO).items() if not msgstr]
    assert untranslated == []


def test_catalogues_compile_and_recompile_only_when_stale(tmp_path: Path) -> None:
    target = tmp_path / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "django.po")
    assert compile_catalogues(tmp_path) == [target / "django.mo"]
    assert compile_catalogues(tmp_path) == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed"
)
def test_the_catalogue_holds_exactly_the_strings_of_the_code(tmp_path: Path) -> None:
    server = LOCALE_DIR.parent
    copy = tmp_path / "server"
    shutil.copytree(server, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    script = (
        "import os, django;"
        "os.environ['DJANGO_SETTINGS_MODULE']='parindex.server.settings'; django.setup();"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['vi'], no_obsolete=True, verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", script], cwd=copy, check=True)
    fresh = messages(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    committed = messages(PO)
    assert sorted(set(fresh) - set(committed)) == [], (
        "new strings: run scripts/messages.sh and translate"
    )
    assert sorted(set(committed) - set(fresh)) == [], (
        "strings no longer used: run scripts/messages.sh"
    )


def test_a_fresh_checkout_without_compiled_catalogues_speaks_vietnamese() -> None:
    """What a fresh clone meets: no .mo yet. Django caches the default language's catalogue
    while its own models are imported, so ours must be compiled before Django starts."""
    (LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.mo").unlink(missing_ok=True)
    script = (
        "import os, django;"
        "os.environ['DJANGO_SETTINGS_MODULE']='parindex.server.settings'; django.setup();"
        "from django.utils import translation; translation.activate('vi');"
        "print(translation.gettext('Log out'))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "Đăng xuất", result.stderr


def test_every_placeholder_survives_translation() -> None:
    import re

    placeholder = re.compile(r"%\([a-z_]+\)s|%[sd]|\{[a-z_]+\}")
    broken = [
        (msgid, msgstr)
        for msgid, msgstr in messages(PO).items()
        if sorted(placeholder.findall(msgid)) != sorted(placeholder.findall(msgstr))
    ]
    assert broken == []
