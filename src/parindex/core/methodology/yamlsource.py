"""Strict YAML reading that remembers where every key and item stands.

PyYAML silently keeps the last of two equal keys; here a duplicate becomes a finding. Mappings
and lists come back as ``LocatedMap`` and ``LocatedList``, which carry 1-based line numbers, so
a validation error deep in a tree can name its line.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from parindex.core.findings import Finding


class LocatedMap(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str, filename: str) -> None:
        super().__init__(stream)
        self.filename = filename
        self.findings: list[Finding] = []


def _construct_map(loader: _Loader, node: MappingNode) -> LocatedMap:
    result = LocatedMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            loader.findings.append(
                Finding(
                    "duplicate-key",
                    f"key '{key}' appears again (first on line {result.key_lines[key]}); "
                    "the second value would silently win",
                    loader.filename,
                    line,
                    result.get("id") if isinstance(result.get("id"), str) else None,
                )
            )
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_list(loader: _Loader, node: SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


def read_yaml(text: str, filename: str) -> tuple[Any, list[Finding]]:
    """The document in ``text`` and the findings met while reading it."""
    try:
        # The reader refuses control characters as soon as it is built.
        loader = _Loader(text, filename)
    except yaml.YAMLError as error:
        return None, [Finding("yaml-syntax", f"not valid YAML: {error}", filename)]
    try:
        document = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or "cannot be read"
        return None, [Finding("yaml-syntax", f"not valid YAML: {problem}", filename, line)]
    except yaml.YAMLError as error:
        return None, [Finding("yaml-syntax", f"not valid YAML: {error}", filename)]
    finally:
        loader.dispose()
    return document, loader.findings


def line_of(document: Any, loc: tuple[str | int, ...]) -> tuple[int | None, str | None]:
    """The line of the deepest part of ``loc`` present in ``document``, and the nearest node id.

    Steps absent from the document (a union's tag, a missing key) are passed over, so a missing
    key is reported on its parent's line.
    """
    current = document
    line: int | None = getattr(document, "line", None)
    node_id = _id_of(document)
    for step in loc:
        if isinstance(current, LocatedMap) and isinstance(step, str) and step in current:
            line = current.key_lines.get(step, line)
            current = current[step]
        elif (
            isinstance(current, LocatedList) and isinstance(step, int) and 0 <= step < len(current)
        ):
            line = current.item_lines[step]
            current = current[step]
        else:
            continue
        node_id = _id_of(current) or node_id
    return line, node_id


def _id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        candidate = value.get("id")
        if isinstance(candidate, str | int | float) and not isinstance(candidate, bool):
            return str(candidate)
    return None
