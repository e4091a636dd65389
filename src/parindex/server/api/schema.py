"""The OpenAPI document of /api/v1 as committed in ``docs/openapi/api-v1.json``.

Regenerate after changing the API: ``uv run python -m parindex.server.api.schema``; a test fails
while the committed document and the code differ."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

COMMITTED = Path(__file__).resolve().parents[4] / "docs" / "openapi" / "api-v1.json"


def openapi_document() -> dict[str, Any]:
    from parindex.server.api.v1 import api

    return dict(api.get_openapi_schema(path_prefix="/api/v1/"))


def render() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.server.settings")
    django.setup()
    COMMITTED.parent.mkdir(parents=True, exist_ok=True)
    COMMITTED.write_text(render(), encoding="utf-8")
    print(f"wrote {COMMITTED}")
