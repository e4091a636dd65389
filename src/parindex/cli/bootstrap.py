"""Start Django for a CLI command, on the chosen database."""

from __future__ import annotations

import os

import django


def start_django(**environ: str) -> None:
    """Set ``environ`` (e.g. ``PARINDEX_DEMO="1"``) and start Django.

    Must be called before anything imports Django models.
    """
    os.environ.update(environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.server.settings")
    django.setup()
    from django.conf import settings

    settings.CONFIG.data_dir.mkdir(parents=True, exist_ok=True)
