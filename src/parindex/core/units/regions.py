"""The six socio-economic regions of Vietnam and the averages of a table by region.

Which province lies in which region is project data beside this module: ``data/regions_63.csv``
(the General Statistics Office's classification of the 63 provinces, cited in the file) and
``data/regions_34.csv`` (the 34 provinces from 1 July 2025, each merged province in the region of
the predecessor whose name it kept). A province left whole by the merger is one unit in both
files, in the same region (checked on loading).
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from parindex.core.errors import ReferenceDataError
from parindex.core.scoring.rounding import round_half_up_scalar


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name_vi: str
    name_en: str


REGIONS: tuple[Region, ...] = (
    Region("dbsh", "Đồng bằng sông Hồng", "Red River Delta"),
    Region("tdmnpb", "Trung du và miền núi phía Bắc", "Northern Midlands and Mountains"),
    Region(
        "btb-dhmt",
        "Bắc Trung Bộ và Duyên hải miền Trung",
        "North Central and Central Coastal Area",
    ),
    Region("tn", "Tây Nguyên", "Central Highlands"),
    Region("dnb", "Đông Nam Bộ", "South East"),
    Region("dbscl", "Đồng bằng sông Cửu Long", "Mekong River Delta"),
)
"""In the order of GSO's yearbook tables, north to south."""

_BY_CODE = {region.code: region for region in REGIONS}


def region(code: str) -> Region:
    return _BY_CODE[code]


def _read(count: int) -> dict[str, str]:
    source = f"core/units/data/regions_{count}.csv"
    text = resources.files("parindex.core.units").joinpath(f"data/regions_{count}.csv")
    lines = [line for line in text.read_text("utf-8").splitlines() if not line.startswith("#")]
    found: dict[str, str] = {}
    for number, row in enumerate(csv.DictReader(lines), start=2):
        if row["region"] not in _BY_CODE:
            raise ReferenceDataError(source, f"row {number}: unknown region {row['region']!r}")
        if row["ref"] in found:
            raise ReferenceDataError(source, f"row {number}: {row['ref']} listed twice")
        found[row["ref"]] = row["region"]
    return found


@cache
def regions_63() -> dict[str, str]:
    """Province ref → region code, for the 63 provinces in force until 30 June 2025."""
    return _read(63)


@cache
def regions_34() -> dict[str, str]:
    """Province ref → region code, for the 34 provinces in force from 1 July 2025."""
    return _read(34)


@cache
def region_of_province() -> dict[str, str]:
    """Every province ref of both periods → its region code."""
    merged = dict(regions_63())
    for ref, code in regions_34().items():
        if merged.setdefault(ref, code) != code:
            raise ReferenceDataError(
                "core/units/data/regions_34.csv", f"{ref} is in another region before 2025"
            )
    return merged


@dataclass(frozen=True, slots=True)
class RegionalAverage:
    region: Region
    value: float | None
    """Unweighted mean of the units' values, rounded half up to 2 decimals; None without any."""
    units: int


def regional_averages(
    values: Mapping[str, float | None], region_of: Mapping[str, str]
) -> tuple[RegionalAverage, ...]:
    """The unweighted mean of ``values`` (unit ref → value; None: no figure) by region, for the
    regions holding at least one of the units, in ``REGIONS`` order. Units without a region
    (a ministry) and without a value are left out of every mean.

    >>> found = regional_averages({"a": 80.0, "b": 91.0, "c": None, "d": 70.5},
    ...                           {"a": "tn", "b": "tn", "c": "tn", "d": "dnb"})
    >>> [(f.region.code, f.value, f.units) for f in found]
    [('tn', 85.5, 2), ('dnb', 70.5, 1)]
    """
    members: dict[str, list[float]] = {}
    for ref, code in region_of.items():
        if ref in values:
            bucket = members.setdefault(code, [])
            value = values[ref]
            if value is not None:
                bucket.append(value)
    return tuple(
        RegionalAverage(
            r,
            round_half_up_scalar(statistics.fmean(found), 2) if found else None,
            len(found),
        )
        for r in REGIONS
        if (found := members.get(r.code)) is not None
    )
