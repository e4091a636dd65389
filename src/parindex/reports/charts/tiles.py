"""The tile-grid cartogram of Vietnam: one equal square per province, placed to keep each
province's neighbours around it. Two layouts, kept as the project's own data beside this module:
the 63 provinces (until 30 June 2025) and the 34 (from 1 July 2025)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

Tiles = dict[str, tuple[int, int, str]]
"""ref → (column, row, short label)."""


@cache
def tile_layout(count: int) -> Tiles:
    """The layout for ``count`` (63 or 34) provinces."""
    if count not in (63, 34):
        raise ValueError(f"tile layouts exist for 63 and 34 provinces, not {count}")
    text = resources.files("parindex.reports.charts").joinpath(f"data/tiles_{count}.csv")
    with text.open(encoding="utf-8") as handle:
        return {
            row["ref"]: (int(row["col"]), int(row["row"]), row["short"])
            for row in csv.DictReader(handle)
        }


def layout_for(refs: set[str]) -> Tiles:
    """The layout that holds most of ``refs`` (the provinces of a published table)."""
    return max((tile_layout(63), tile_layout(34)), key=lambda tiles: len(refs & tiles.keys()))
