"""The parent hierarchy of units, as pure functions over a ``{unit: parent}`` mapping.

A role held at a unit reaches that unit and everything below it; a national role (held at no
unit) reaches everything. The database keeps only parent links; these functions answer the
questions asked of them, so the rule is written once and tested without a database.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from parindex.core.errors import HierarchyCycleError, UnknownUnitError

U = TypeVar("U", bound=Hashable)


def ancestors(unit: U, parent_of: Mapping[U, U | None]) -> list[U]:
    """The chain of parents of ``unit``, nearest first.

    >>> ancestors("commune", {"province": None, "district": "province", "commune": "district"})
    ['district', 'province']
    """
    if unit not in parent_of:
        raise UnknownUnitError(unit)
    chain: list[U] = []
    seen = {unit}
    parent = parent_of[unit]
    while parent is not None:
        if parent in seen:
            raise HierarchyCycleError(parent)
        seen.add(parent)
        chain.append(parent)
        if parent not in parent_of:
            raise UnknownUnitError(parent)
        parent = parent_of[parent]
    return chain


def reaches(scope: U | None, unit: U, parent_of: Mapping[U, U | None]) -> bool:
    """Whether a role held at ``scope`` (``None``: nationally) reaches ``unit``.

    >>> tree = {"LS": None, "LS-SNV": "LS", "HN": None}
    >>> reaches("LS", "LS-SNV", tree), reaches("LS", "HN", tree), reaches(None, "HN", tree)
    (True, False, True)
    """
    if unit not in parent_of:
        raise UnknownUnitError(unit)
    if scope is None or scope == unit:
        return True
    return scope in ancestors(unit, parent_of)


def descendants(scopes: Iterable[U | None], parent_of: Mapping[U, U | None]) -> set[U]:
    """Every unit reached by roles held at ``scopes``, the scope units included.

    >>> tree = {"LS": None, "LS-SNV": "LS", "HN": None}
    >>> sorted(descendants(["LS"], tree)), sorted(descendants([None], tree))
    (['LS', 'LS-SNV'], ['HN', 'LS', 'LS-SNV'])
    """
    wanted = set(scopes)
    if None in wanted:
        return set(parent_of)
    for scope in wanted:
        if scope not in parent_of:
            raise UnknownUnitError(scope)
    children: dict[U, list[U]] = {}
    for child, parent in parent_of.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    reached: set[U] = set()
    stack: list[U] = [scope for scope in wanted if scope is not None]
    while stack:
        unit = stack.pop()
        if unit in reached:
            continue
        reached.add(unit)
        stack.extend(children.get(unit, ()))
    return reached
