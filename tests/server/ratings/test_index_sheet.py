"""Circular 01's indices that no device rates: a unit's staff record 2, 5 and 6 for a period,
parindex computes 8 (from feedback) and 9 (from online dossiers and the procedure counts given),
and the unit's score of 18 is complete. Worked by hand below."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from parindex.core.onestop import Period
from parindex.core.roles import Role
from parindex.server.ratings.index_sheet import complete_tt01, unit_indices
from parindex.server.ratings.models import Dossier, Rating, UnitIndexSheet

from .conftest import Site


def _quarter() -> Period:
    today = timezone.localdate()
    return Period.parse(f"{today.year}-Q{(today.month - 1) // 3 + 1}")


def _fill(site: Site) -> None:
    now = timezone.now()
    for _ in range(2):  # two ratings without a dossier: indices 1, 3, 7 = 2 and 4 = 1
        Rating.objects.create(
            client_id=uuid.uuid4(), channel="device", unit=site.centre, counter="Q1",
            index1=2, index3=2, index4=1, index7=2, satisfaction=5, submitted_at=now,
        )  # fmt: skip
    for k in range(10):  # ten open dossiers, four online, none past its appointment
        Dossier.objects.create(
            code=f"HS-{k}", procedure="1.001", unit=site.centre, received=now,
            appointment=now + timedelta(days=30), online=k < 4,
        )  # fmt: skip


def test_staff_record_the_unit_indices_and_the_score_of_18_is_complete(
    site: Site, client: Client, make_user: Callable[..., object]
) -> None:
    _fill(site)
    period = _quarter()
    before = complete_tt01(site.province, period)  # type: ignore[arg-type]
    # No feedback at all: index 8 is 2 (Art. 15); 2, 5, 6 and 9 have no value yet.
    assert before.indices == {1: 2.0, 3: 2.0, 4: 1.0, 7: 2.0, 8: 2.0}
    assert before.missing == (2, 5, 6, 9)
    client.force_login(make_user("dau-moi", Role.FOCAL_POINT, site.province))  # type: ignore[arg-type]
    url = f"/mot-cua/don-vi/test:p/chi-so-don-vi/?ky={period}"
    response = client.post(
        url,
        {"index2": "1,5", "index5": "2", "index6": "1", "procedures": "100",
         "procedures_online": "25", "note": "Báo cáo quý của Trung tâm"},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "Đã lưu các chỉ số của đơn vị." in page
    # Index 9: 25 of 100 procedures at level 3–4 (≥ 20 %), 4 of 10 dossiers online (≥ 30 %),
    # none overdue → 2. Total 2 + 1.5 + 2 + 1 + 2 + 1 + 2 + 2 + 2 = 15.5 of 18: excellent (≥ 15).
    after = complete_tt01(site.province, period)  # type: ignore[arg-type]
    assert after.indices == {
        1: 2.0, 2: 1.5, 3: 2.0, 4: 1.0, 5: 2.0, 6: 1.0, 7: 2.0, 8: 2.0, 9: 2.0,
    }  # fmt: skip
    assert (after.total, after.missing) == (15.5, ())
    assert f"Tổng điểm Thông tư 01 kỳ {period}: 15,5/18." in page
    values = unit_indices(site.province, period)  # type: ignore[arg-type]
    assert {k: v.source.value for k, v in values.values.items()} == {
        2: "recorded", 5: "recorded", 6: "recorded", 8: "computed", 9: "computed",
    }  # fmt: skip
    sheet = UnitIndexSheet.objects.get()
    assert (sheet.period, sheet.recorded_by.username) == (str(period), "dau-moi")  # type: ignore[union-attr]
    # The leader's dashboard shows the same complete total.
    client.force_login(make_user("lanh-dao", Role.LEADER, site.province))  # type: ignore[arg-type]
    dashboard = client.get(f"/mot-cua/don-vi/test:p/?ky={period}")
    assert dashboard.context["indicators"].tt01.total == 15.5


def test_a_recorded_index_8_stands_over_the_computed_one_and_bad_values_are_refused(
    site: Site, client: Client, make_user: Callable[..., object]
) -> None:
    period = _quarter()
    client.force_login(make_user("lanh-dao", Role.LEADER, site.province))  # type: ignore[arg-type]
    url = f"/mot-cua/don-vi/test:p/chi-so-don-vi/?ky={period}"
    refused = client.post(url, {"index2": "2,5", "procedures": "10", "procedures_online": "11"})
    assert refused.status_code == 422
    assert "Số thủ tục trực tuyến lớn hơn số thủ tục đơn vị giải quyết." in refused.content.decode()
    assert UnitIndexSheet.objects.count() == 0
    client.post(url, {"index8": "0"})
    assert complete_tt01(site.province, period).indices[8] == 0.0  # type: ignore[arg-type]


def test_only_the_units_staff_open_the_sheet(
    site: Site, client: Client, make_user: Callable[..., object]
) -> None:
    client.force_login(make_user("khac", Role.LEADER, site.other))  # type: ignore[arg-type]
    assert client.get("/mot-cua/don-vi/test:p/chi-so-don-vi/").status_code == 403
    client.force_login(site.device)  # type: ignore[arg-type]
    assert client.get("/mot-cua/don-vi/test:p/chi-so-don-vi/").status_code == 403
