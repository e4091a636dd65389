"""What changed between two editions, following ``replaces`` links.

Year-on-year comparison is only honest between nodes that mean the same thing. A node of the
new edition is *comparable* when it replaces a node of the old one with the same maximum, rule
and source, and (for criteria and fields) when its children are exactly the comparable
successors of the old node's children. Anything else is flagged "not comparable".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from parindex.core.methodology.edition import Edition
from parindex.core.methodology.nodes import ComponentNode, CriterionNode, FieldNode, NodeBase, walk


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MAX_CHANGED = "max_changed"
    MOVED = "moved"
    RULE_CHANGED = "rule_changed"
    RENAMED = "renamed"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    level: str
    old_id: str | None
    new_id: str | None
    detail: str

    def __str__(self) -> str:
        ids = " → ".join(i for i in (self.old_id, self.new_id) if i is not None)
        return f"{self.kind.value:<13} {self.level:<10} {ids}: {self.detail}"


@dataclass(frozen=True)
class EditionDiff:
    old: str
    new: str
    changes: tuple[Change, ...]
    links: dict[str, str]
    """New node id → the old node id it replaces."""
    comparable: frozenset[str]
    """New node ids whose values can be compared with the old edition's."""

    def is_comparable(self, new_id: str) -> bool:
        return new_id in self.comparable


def _children(node: NodeBase) -> tuple[NodeBase, ...]:
    if isinstance(node, FieldNode):
        return node.criteria
    if isinstance(node, CriterionNode):
        return node.components
    return ()


def _scoring(node: NodeBase) -> tuple[str, str] | None:
    if isinstance(node, ComponentNode):
        return node.source, node.rule.model_dump_json()
    if isinstance(node, CriterionNode) and node.scoring is not None:
        return node.scoring.source, node.scoring.rule.model_dump_json()
    return None


def diff_editions(old: Edition, new: Edition) -> EditionDiff:
    old_nodes = {node.id: (level, node, parent) for level, node, parent in walk(old.fields)}
    new_nodes = {node.id: (level, node, parent) for level, node, parent in walk(new.fields)}
    links = {
        node.id: node.replaces
        for _level, node, _parent in new_nodes.values()
        if node.replaces is not None and node.replaces in old_nodes
    }
    replaced = set(links.values())
    changes: list[Change] = []
    unchanged: set[str] = set()

    for new_id, (level, node, parent) in new_nodes.items():
        old_id = links.get(new_id)
        if old_id is None:
            changes.append(Change(ChangeKind.ADDED, level, None, new_id, node.name_vi))
            continue
        old_level, old_node, old_parent = old_nodes[old_id]
        same = True
        if old_node.max_points != node.max_points:
            same = False
            changes.append(
                Change(
                    ChangeKind.MAX_CHANGED,
                    level,
                    old_id,
                    new_id,
                    f"max points {old_node.max_points:g} → {node.max_points:g}",
                )
            )
        parent_link = links.get(parent) if parent is not None else None
        if old_level != level or parent_link != old_parent:
            same = False
            changes.append(
                Change(
                    ChangeKind.MOVED,
                    level,
                    old_id,
                    new_id,
                    f"was a {old_level} under {old_parent or 'the index'}, now under {parent or 'the index'}",
                )
            )
        if _scoring(old_node) != _scoring(node):
            same = False
            changes.append(
                Change(ChangeKind.RULE_CHANGED, level, old_id, new_id, "source or rule changed")
            )
        if old_node.name_vi != node.name_vi:
            changes.append(
                Change(
                    ChangeKind.RENAMED,
                    level,
                    old_id,
                    new_id,
                    f"'{old_node.name_vi}' → '{node.name_vi}'",
                )
            )
        if same:
            unchanged.add(new_id)

    for old_id, (level, node, _parent) in old_nodes.items():
        if old_id not in replaced:
            changes.append(Change(ChangeKind.REMOVED, level, old_id, None, node.name_vi))

    comparable: set[str] = set()
    # Leaves first, so a parent sees its children's verdicts.
    order = {"component": 0, "criterion": 1, "field": 2}
    for new_id, (_level, node, _parent) in sorted(
        new_nodes.items(), key=lambda item: order[item[1][0]]
    ):
        if new_id not in unchanged:
            continue
        children = _children(node)
        old_children = {child.id for child in _children(old_nodes[links[new_id]][1])}
        if (
            all(child.id in comparable for child in children)
            and {links[child.id] for child in children} == old_children
        ):
            comparable.add(new_id)

    return EditionDiff(old.id, new.id, tuple(changes), links, frozenset(comparable))
