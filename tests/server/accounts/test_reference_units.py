from __future__ import annotations

from datetime import date

import pytest

from parindex.server.accounts.models import Unit
from parindex.server.accounts.services import load_reference_units

pytestmark = pytest.mark.django_db


def test_loading_twice_creates_nothing_new() -> None:
    assert load_reference_units() == {"created": 105, "updated": 0}
    assert load_reference_units() == {"created": 0, "updated": 0}
    assert Unit.objects.count() == 105


def test_a_renamed_unit_is_restored_from_the_catalogue() -> None:
    load_reference_units()
    Unit.objects.filter(ref="province:20").update(name_vi="sai tên")
    assert load_reference_units() == {"created": 0, "updated": 1}
    assert Unit.objects.get(ref="province:20").name_vi == "Tỉnh Lạng Sơn"


@pytest.mark.parametrize(
    ("day", "provinces"),
    [
        (date(2024, 12, 31), 63),
        (date(2025, 6, 30), 63),
        (date(2025, 7, 1), 34),
        (date(2026, 11, 21), 34),
    ],
)
def test_the_provinces_in_force_on_a_day(day: date, provinces: int) -> None:
    load_reference_units()
    assert Unit.objects.valid_on(day).filter(kind="province").count() == provinces


def test_successor_links_reach_the_database() -> None:
    load_reference_units()
    ha_giang = Unit.objects.get(name_vi="Tỉnh Hà Giang")
    (successor,) = ha_giang.successors.all()
    assert successor.name_vi == "Tỉnh Tuyên Quang"
    assert successor.valid_from == date(2025, 7, 1)
    assert set(successor.predecessors.values_list("name_vi", flat=True)) == {
        "Tỉnh Hà Giang",
        "Tỉnh Tuyên Quang",
    }
