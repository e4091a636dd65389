"""Compile the gettext catalogues (``.po`` → ``.mo``) in pure Python.

Compiled catalogues are build products and are not committed. Babel compiles them, so a fresh
machine needs no GNU gettext: the settings module calls :func:`compile_catalogues` before
Django starts, and it only rewrites a ``.mo`` older than its ``.po``; where the package folder
is read-only (an installed wheel), the shipped catalogues are used as they are.
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every stale catalogue under ``locale_dir``; returns the ``.mo`` files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        if not os.access(po.parent, os.W_OK):
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        partial = mo.with_suffix(".mo.partial")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        partial.replace(mo)  # atomic: a parallel process never reads half a catalogue
        written.append(mo)
    return written
