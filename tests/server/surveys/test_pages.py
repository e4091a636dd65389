"""Survey managers see progress and results with intervals; other roles are refused."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.test import Client

from parindex.core.roles import Role
from parindex.core.surveys.ballot import Submission
from parindex.server.surveys.intake import take_in
from tests.server.surveys.conftest import CLOSE, answers, on_time

pytestmark = pytest.mark.django_db


def test_a_survey_manager_sees_progress_and_results_in_vietnamese(
    client: Client, make_user, survey
) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(8)
    mistyped = Submission("ZZZZ-ZZZZ-ZZZ", CLOSE - timedelta(days=1), "web", answers(rng))
    take_in(survey, [*on_time(survey, range(60), rng), mistyped])
    client.force_login(make_user("manager", Role.SURVEY_MANAGER, None))
    listing = client.get("/surveys/")
    assert listing.status_code == 200
    assert "SIPAS 2026" in listing.text and "75,0 %" in listing.text  # 60 of 80 counted
    page = client.get(f"/surveys/{survey.slug}/results/")
    assert page.status_code == 200
    assert "60 / 80 hộ được chọn mẫu đã được tính" in page.text
    assert "1 phiếu bị loại riêng" in page.text
    assert 'data-node="index"' in page.text and "Khoảng tin cậy 95 %" in page.text
    assert "," in page.text.split('data-node="index"')[1].split("</tr>")[0], (
        "Vietnamese decimal comma"
    )


def test_a_focal_point_is_refused_the_survey_pages(client: Client, make_user, survey) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    unit = Unit.objects.create(ref="t:x", kind="province", name_vi="Tỉnh Thử")
    client.force_login(make_user("focal", Role.FOCAL_POINT, unit))
    assert client.get("/surveys/").status_code == 403
    assert client.get(f"/surveys/{survey.slug}/results/").status_code == 403
