"""Write an :class:`Edition` as the YAML folder layout the loader reads.

Defaults are left out, so a written edition reads like a hand-written one; reading it back
gives an equal edition.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from parindex.core.methodology.edition import Edition
from parindex.core.methodology.loader import FIELD_FILE, INDEX_FILE
from parindex.core.methodology.nodes import ComponentNode, CriterionNode, NodeBase, ScoringSpec


def _dump(data: Any) -> str:
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def _spec(spec: ScoringSpec) -> dict[str, Any]:
    data = spec.model_dump(
        mode="json", exclude_defaults=True, include=set(ScoringSpec.model_fields)
    )
    if spec.rule != ScoringSpec.model_fields["rule"].get_default(call_default_factory=True):
        data["rule"] = {
            "kind": spec.rule.kind,
            **spec.rule.model_dump(mode="json", exclude_defaults=True),
        }
    return data


def _node(node: NodeBase, exclude: set[str]) -> dict[str, Any]:
    data: dict[str, Any] = node.model_dump(
        mode="json", exclude_defaults=True, exclude=exclude | set(ScoringSpec.model_fields)
    )
    data.setdefault("max_points", node.max_points)
    return data


def component_data(component: ComponentNode) -> dict[str, Any]:
    return _node(component, set()) | _spec(component)


def criterion_data(criterion: CriterionNode) -> dict[str, Any]:
    data = _node(criterion, {"components", "scoring"})
    if criterion.scoring is not None:
        data["scoring"] = _spec(criterion.scoring)
    else:
        data["components"] = [component_data(c) for c in criterion.components]
    return data


def field_folder(field_id: str) -> str:
    return f"field-{field_id}"


def write_edition(edition: Edition, directory: Path) -> None:
    """Write ``edition`` into ``directory`` (replacing what was there)."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    header = edition.header().model_dump(mode="json", exclude_defaults=True)
    header = {"id": edition.id, **header}
    header["fields"] = [field_folder(f.id) for f in edition.fields]
    (directory / INDEX_FILE).write_text(_dump(header), "utf-8")
    for field in edition.fields:
        folder = directory / field_folder(field.id)
        folder.mkdir()
        data = _node(field, {"criteria"}) | {"criteria": [c.id for c in field.criteria]}
        (folder / FIELD_FILE).write_text(_dump(data), "utf-8")
        for criterion in field.criteria:
            (folder / f"{criterion.id}.yaml").write_text(_dump(criterion_data(criterion)), "utf-8")
