#!/usr/bin/env bash
# Refresh the Vietnamese catalogue after changing translatable strings (needs GNU gettext's
# xgettext). Then fill the new empty msgstr entries in
# src/parindex/server/locale/vi/LC_MESSAGES/django.po; tests fail while any is empty or fuzzy.
# A fuzzy entry is gettext's guess from a *similar* string (often wrong): retranslate it before
# removing the flag.
set -euo pipefail
cd "$(dirname "$0")/../src/parindex/server"
uv run parindex manage makemessages --locale vi --no-obsolete --add-location file
