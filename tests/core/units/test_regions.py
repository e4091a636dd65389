"""The six socio-economic regions: every province of both periods in exactly one, and the mean by
region of a small table worked out by hand."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

import pytest

from parindex.core.units import provinces_34, provinces_63
from parindex.core.units.regions import (
    REGIONS,
    region_of_province,
    regional_averages,
    regions_34,
    regions_63,
)


def _rows(count: int) -> list[dict[str, str]]:
    text = resources.files("parindex.core.units").joinpath(f"data/regions_{count}.csv")
    lines = [line for line in text.read_text("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize(
    ("count", "provinces"), [(63, provinces_63), (34, provinces_34)], ids=["63", "34"]
)
def test_every_province_is_in_exactly_one_region(count: int, provinces) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(count)
    listed = Counter(row["ref"] for row in rows)
    assert all(n == 1 for n in listed.values()), "a province listed twice"
    refs = {p.ref for p in provinces()}
    assert set(listed) == refs and len(refs) == count
    # The name beside each ref is the catalogue's: a shifted column would show here.
    names = {p.ref: p.name_vi for p in provinces()}
    assert {row["ref"]: row["name_vi"] for row in rows} == names
    assert {row["region"] for row in rows} == {r.code for r in REGIONS}


def test_the_63_provinces_per_region_are_gso_s() -> None:
    """GSO's yearbook: 11 in the Red River Delta (with Quảng Ninh), 14 in the northern midlands
    and mountains, 14 on the north central and central coast, 5 in the Central Highlands (with
    Lâm Đồng), 6 in the South East, 13 in the Mekong Delta."""
    counts = Counter(regions_63().values())
    assert counts == {"dbsh": 11, "tdmnpb": 14, "btb-dhmt": 14, "tn": 5, "dnb": 6, "dbscl": 13}
    assert regions_63()["province:22"] == "dbsh", "Quảng Ninh"
    assert regions_63()["province:68"] == "tn", "Lâm Đồng"
    assert Counter(regions_34().values()) == {
        "dbsh": 6,
        "tdmnpb": 9,
        "btb-dhmt": 8,
        "tn": 3,
        "dnb": 3,
        "dbscl": 5,
    }


def test_a_province_left_whole_keeps_its_region() -> None:
    both = set(regions_63()) & set(regions_34())
    assert len(both) == 11
    assert all(regions_63()[ref] == regions_34()[ref] for ref in both)
    assert len(region_of_province()) == 63 + 34 - 11


def test_regional_means_of_a_small_table_worked_by_hand() -> None:
    # Tây Nguyên: (82.10 + 90.00 + 77.35) / 3 = 249.45 / 3 = 83.15; Kon Tum without a figure.
    # Đông Nam Bộ: (88.885 + 91.000) / 2 = 89.9425 → 89.94. Hà Nội: 95.5 alone.
    # A ministry has no region and Đồng bằng sông Cửu Long has no unit in the table.
    table = {
        "province:64": 82.10,
        "province:66": 90.00,
        "province:68": 77.35,
        "province:62": None,
        "province:79": 88.885,
        "province:74": 91.000,
        "province:01": 95.5,
        "ministry:BNV": 99.0,
    }
    found = regional_averages(table, region_of_province())
    assert [(a.region.code, a.value, a.units) for a in found] == [
        ("dbsh", 95.5, 1),
        ("tn", 83.15, 3),
        ("dnb", 89.94, 2),
    ]
    assert found[1].region.name_vi == "Tây Nguyên"


def test_a_region_whose_units_have_no_figure_has_no_mean() -> None:
    found = regional_averages({"province:62": None}, region_of_province())
    assert [(a.region.code, a.value, a.units) for a in found] == [("tn", None, 0)]
