"""The reference catalogue of units every installation starts with.

Provinces come from the ``vietnamadminunits`` package (MIT; pinned): the 63 provinces in force
until the 2025 merger, the 34 in force after it, and which old provinces each new one absorbed.
A province the merger left whole (Hà Nội, Huế, Lạng Sơn …) is one unit valid in both periods;
every merged province is a new unit with successor links from its predecessors. Ministries come
from ``data/ministries.csv`` beside this module (the 19 assessed by the PAR INDEX).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

from vietnamadminunits.converter.converter_2025 import DICT_PROVINCE
from vietnamadminunits.database import get_data

from parindex.core.errors import ReferenceDataError
from parindex.core.units.kind import UnitKind

MERGER_2025_IN_FORCE = date(2025, 7, 1)
"""First day the 34 provinces operated (Resolution 202/2025/QH15; two-tier local government)."""

_SOURCE = "vietnamadminunits 1.0.4"


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """One unit of the reference catalogue, identified by a stable ``ref``."""

    ref: str
    kind: UnitKind
    code: str
    name_vi: str
    name_en: str
    valid_from: date | None = None
    valid_to: date | None = None
    parent_ref: str | None = None
    successor_refs: tuple[str, ...] = ()

    def valid_on(self, day: date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        ends = self.valid_to is None or day <= self.valid_to
        return starts and ends


def english_name(name_vi: str) -> str:
    """The customary English form of a Vietnamese province name.

    >>> english_name("Thành phố Hà Nội"), english_name("Tỉnh Đắk Lắk")
    ('Ha Noi City', 'Dak Lak Province')
    """
    for prefix, suffix in (("Thành phố ", "City"), ("Tỉnh ", "Province")):
        if name_vi.startswith(prefix):
            return f"{_fold(name_vi.removeprefix(prefix))} {suffix}"
    return _fold(name_vi)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class _Province:
    key: str
    code: str
    name_vi: str


def _provinces(table: str, expected: int) -> dict[str, _Province]:
    rows = get_data(["provinceKey", "provinceCode", "province"], table=table)
    found = {
        r["provinceKey"]: _Province(r["provinceKey"], r["provinceCode"], r["province"])
        for r in rows
    }
    if len(found) != expected:
        raise ReferenceDataError(
            _SOURCE, f"table {table} has {len(found)} provinces, expected {expected}"
        )
    return found


@cache
def _province_records() -> tuple[tuple[UnitRecord, ...], tuple[UnitRecord, ...]]:
    old = _provinces("admin_units_legacy", 63)
    new = _provinces("admin_units", 34)
    absorbed: dict[str, list[str]] = {key: list(DICT_PROVINCE[key]) for key in new}
    unknown = {k for keys in absorbed.values() for k in keys} - set(old)
    if unknown or len({k for keys in absorbed.values() for k in keys}) != 63:
        raise ReferenceDataError(
            _SOURCE, f"the 2025 converter does not map the 63 provinces onto 34: {sorted(unknown)}"
        )

    unchanged = {key for key, keys in absorbed.items() if keys == [key]}
    last_old_day = MERGER_2025_IN_FORCE - timedelta(days=1)

    def old_ref(key: str) -> str:
        return f"province:{old[key].code}"

    def new_ref(key: str) -> str:
        return old_ref(key) if key in unchanged else f"province:{new[key].code}/2025"

    successor_of = {old_key: new_key for new_key, keys in absorbed.items() for old_key in keys}
    before = tuple(
        UnitRecord(
            ref=old_ref(key),
            kind=UnitKind.PROVINCE,
            code=p.code,
            name_vi=p.name_vi,
            name_en=english_name(p.name_vi),
            valid_to=None if key in unchanged else last_old_day,
            successor_refs=() if key in unchanged else (new_ref(successor_of[key]),),
        )
        for key, p in sorted(old.items(), key=lambda item: item[1].code)
    )
    by_ref = {r.ref: r for r in before}
    after = tuple(
        by_ref[new_ref(key)]
        if key in unchanged
        else UnitRecord(
            ref=new_ref(key),
            kind=UnitKind.PROVINCE,
            code=p.code,
            name_vi=p.name_vi,
            name_en=english_name(p.name_vi),
            valid_from=MERGER_2025_IN_FORCE,
        )
        for key, p in sorted(new.items(), key=lambda item: item[1].code)
    )
    return before, after


def provinces_63() -> tuple[UnitRecord, ...]:
    """The 63 provinces in force until 30 June 2025, ordered by GSO code."""
    return _province_records()[0]


def provinces_34() -> tuple[UnitRecord, ...]:
    """The 34 provinces in force from 1 July 2025, ordered by GSO code."""
    return _province_records()[1]


@cache
def ministries() -> tuple[UnitRecord, ...]:
    """The 19 ministries and ministerial-level agencies the PAR INDEX assesses."""
    text = resources.files("parindex.core.units").joinpath("data/ministries.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return tuple(
        UnitRecord(
            ref=f"ministry:{row['code']}",
            kind=UnitKind.MINISTRY,
            code=row["code"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
        )
        for row in csv.DictReader(lines)
    )


def communes_of(province: UnitRecord) -> tuple[UnitRecord, ...]:
    """The communes, wards and special zones of one of the 34 provinces (two-tier local
    government from 1 July 2025), ordered by GSO code, as children of ``province``.

    >>> lang_son = next(p for p in provinces_34() if p.code == "20")
    >>> communes = communes_of(lang_son)
    >>> len(communes), communes[0].parent_ref, communes[0].kind.value
    (65, 'province:20', 'commune')
    """
    rows = get_data(["provinceCode", "wardCode", "ward"], table="admin_units")
    found = sorted((r["wardCode"], r["ward"]) for r in rows if r["provinceCode"] == province.code)
    if not found or not province.valid_on(MERGER_2025_IN_FORCE):
        raise ReferenceDataError(
            _SOURCE, f"no communes of province {province.code} after the 2025 merger"
        )
    return tuple(
        UnitRecord(
            ref=f"commune:{code}",
            kind=UnitKind.COMMUNE,
            code=code,
            name_vi=name,
            name_en=english_name(name),
            valid_from=MERGER_2025_IN_FORCE,
            parent_ref=province.ref,
        )
        for code, name in found
    )


def reference_units() -> tuple[UnitRecord, ...]:
    """Every unit of the catalogue once: ministries, the 63 provinces, the new provinces of 2025."""
    seen: dict[str, UnitRecord] = {}
    for record in (*ministries(), *provinces_63(), *provinces_34()):
        seen.setdefault(record.ref, record)
    return tuple(seen.values())
