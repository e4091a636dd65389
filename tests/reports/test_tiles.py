"""The tile-grid layouts are the 63 provinces before the 2025 merger and the 34 after it, one
square each, none on top of another."""

from __future__ import annotations

import pytest

from parindex.core.units.reference import provinces_34, provinces_63
from parindex.reports.charts.tiles import layout_for, tile_layout


@pytest.mark.parametrize(
    ("count", "reference"), [(63, provinces_63), (34, provinces_34)], ids=["63", "34"]
)
def test_one_tile_per_province_and_no_overlap(count, reference) -> None:  # type: ignore[no-untyped-def]
    tiles = tile_layout(count)
    assert set(tiles) == {p.ref for p in reference()}
    assert len({(column, row) for column, row, _ in tiles.values()}) == count
    assert all(short for _c, _r, short in tiles.values())


def test_a_table_gets_the_layout_of_its_provinces() -> None:
    assert len(layout_for({"province:02", "province:08"})) == 63
    assert len(layout_for({"province:08/2025", "province:01"})) == 34
    with pytest.raises(ValueError, match="63 and 34"):
        tile_layout(61)
