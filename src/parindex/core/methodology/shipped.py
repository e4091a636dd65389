"""The editions shipped with parindex as package data, found by id (``<index>/<edition>``)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from parindex.core.findings import Report
from parindex.core.methodology.edition import Edition
from parindex.core.methodology.loader import INDEX_FILE, load_edition


def editions_root() -> Path:
    return Path(str(resources.files("parindex.methodologies")))


def shipped_edition_ids() -> list[str]:
    """Ids of every shipped edition, sorted."""
    root = editions_root()
    return sorted(
        f"{index_file.parent.parent.name}/{index_file.parent.name}"
        for index_file in root.glob(f"*/*/{INDEX_FILE}")
    )


def edition_path(edition_id: str) -> Path:
    return editions_root().joinpath(*edition_id.split("/", 1))


@cache
def load_shipped(edition_id: str) -> Report[Edition]:
    """A shipped edition, its ``previous`` resolved among the shipped editions."""
    if edition_id not in shipped_edition_ids():
        raise KeyError(f"no shipped edition '{edition_id}'; shipped: {shipped_edition_ids()}")
    return load_edition(edition_path(edition_id), resolve_previous=_previous)


def _previous(edition_id: str) -> Edition | None:
    if edition_id not in shipped_edition_ids():
        return None
    return load_shipped(edition_id).value


def load_any(reference: str) -> Report[Edition]:
    """A shipped edition by id, or an edition folder by path (its previous looked up when shipped)."""
    if reference in shipped_edition_ids():
        return load_shipped(reference)
    return load_edition(Path(reference), resolve_previous=_previous)
