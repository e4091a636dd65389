"""The reference catalogue against facts of the 2025 merger (Resolution 202/2025/QH15)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from parindex.core.units import (
    MERGER_2025_IN_FORCE,
    UnitKind,
    ministries,
    provinces_34,
    provinces_63,
    reference_units,
)
from parindex.core.units.reference import english_name


def by_name(records, name_vi):  # type: ignore[no-untyped-def]
    (found,) = [r for r in records if r.name_vi == name_vi]
    return found


def test_there_are_63_provinces_before_and_34_after_the_merger() -> None:
    assert len(provinces_63()) == 63
    assert len(provinces_34()) == 34
    assert all(r.kind is UnitKind.PROVINCE for r in (*provinces_63(), *provinces_34()))


def test_codes_are_unique_within_each_period() -> None:
    for records in (provinces_63(), provinces_34()):
        assert len({r.code for r in records}) == len(records)


def test_eleven_provinces_were_left_whole_and_are_one_unit_in_both_periods() -> None:
    whole = {r.ref for r in provinces_63()} & {r.ref for r in provinces_34()}
    names = sorted(r.name_vi for r in provinces_63() if r.ref in whole)
    assert len(whole) == 11
    assert "Tỉnh Lạng Sơn" in names
    assert "Thành phố Hà Nội" in names
    assert "Tỉnh Quảng Ninh" in names


def test_every_merged_province_ends_the_day_before_the_merger_and_names_one_successor() -> None:
    after = {r.ref: r for r in provinces_34()}
    for record in provinces_63():
        if record.ref in after:
            assert record.successor_refs == () and record.valid_to is None
        else:
            assert record.valid_to == date(2025, 6, 30)
            assert len(record.successor_refs) == 1
            assert record.successor_refs[0] in after


@pytest.mark.parametrize(
    ("new_name", "old_names"),
    [
        ("Tỉnh Tuyên Quang", {"Tỉnh Tuyên Quang", "Tỉnh Hà Giang"}),
        (
            "Thành phố Hồ Chí Minh",
            {"Thành phố Hồ Chí Minh", "Tỉnh Bình Dương", "Tỉnh Bà Rịa - Vũng Tàu"},
        ),
        ("Thành phố Cần Thơ", {"Thành phố Cần Thơ", "Tỉnh Hậu Giang", "Tỉnh Sóc Trăng"}),
        ("Thành phố Hải Phòng", {"Thành phố Hải Phòng", "Tỉnh Hải Dương"}),
    ],
)
def test_successors_follow_the_resolution(new_name: str, old_names: set[str]) -> None:
    new = by_name(provinces_34(), new_name)
    predecessors = {r.name_vi for r in provinces_63() if new.ref in r.successor_refs}
    assert predecessors == old_names
    assert new.valid_from == MERGER_2025_IN_FORCE
    assert new.valid_on(date(2025, 7, 1)) and not new.valid_on(date(2025, 6, 30))


def test_the_19_assessed_ministries_are_listed_once_with_english_names() -> None:
    records = ministries()
    assert len(records) == 19
    assert by_name(records, "Bộ Nội vụ").name_en == "Ministry of Home Affairs"
    assert by_name(records, "Ngân hàng Nhà nước Việt Nam").code == "NHNN"
    assert len({r.code for r in records}) == 19


def test_the_whole_catalogue_has_no_duplicate_reference() -> None:
    refs = Counter(r.ref for r in reference_units())
    assert refs.most_common(1)[0][1] == 1
    assert len(refs) == 19 + 63 + (34 - 11)


@pytest.mark.parametrize(
    ("vi", "en"),
    [
        ("Thành phố Hà Nội", "Ha Noi City"),
        ("Tỉnh Đắk Lắk", "Dak Lak Province"),
        ("Tỉnh Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau Province"),
    ],
)
def test_english_names_drop_diacritics_and_name_the_kind(vi: str, en: str) -> None:
    assert english_name(vi) == en
