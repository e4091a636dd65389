"""JSON Schemas of the edition files, generated from the models and committed beside the data.

Editors validate ``index.yaml``, ``field.yaml`` and criterion files against them; a test fails
when the committed schemas and the models drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from parindex.core.methodology.edition import Edition
from parindex.core.methodology.loader import EditionFile, FieldFile
from parindex.core.methodology.nodes import CriterionNode

SCHEMAS: dict[str, type[BaseModel]] = {
    "index.schema.json": EditionFile,
    "field.schema.json": FieldFile,
    "criterion.schema.json": CriterionNode,
    "edition.schema.json": Edition,
}


def schema_documents() -> dict[str, str]:
    documents = {}
    for name, model in SCHEMAS.items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://parindex.example/schema/{name}",
            **model.model_json_schema(),
        }
        documents[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return documents


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        path = directory / name
        path.write_text(text, "utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    from parindex.core.methodology.shipped import editions_root

    for path in write_schemas(editions_root() / "schema"):
        print(path)
