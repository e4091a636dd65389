"""A stratum with one answering cluster is handled by the survey's lonely-PSU policy: the
results page and its Excel download answer, name the policy and the domains it touched."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from parindex.core.roles import Role
from parindex.server.surveys.intake import take_in
from parindex.server.surveys.models import Survey
from tests.server.surveys.conftest import build_survey, on_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def lonely(db: None) -> Survey:
    """A survey whose first Lạng Sơn commune was drawn with a single village; everyone answers
    (the weighting keeps non-answering villages in the design, so only the draw makes a lonely
    PSU)."""
    drawn = build_survey("sipas-2026-lonely", single_village_commune=True)
    units = list(drawn.sample.order_by("position"))
    take_in(drawn, on_time(drawn, [u.position for u in units], np.random.default_rng(12)))
    return drawn


@pytest.fixture
def manager(client: Client, make_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(make_user("manager", Role.SURVEY_MANAGER, None))
    return client


def test_a_commune_with_one_answering_village_does_not_break_the_results(
    manager: Client, lonely: Survey
) -> None:
    survey = lonely
    page = manager.get(f"/surveys/{survey.slug}/results/")
    assert page.status_code == 200
    assert survey.lonely_psu == "adjust", "R's adjust is the default policy"
    note = page.text.split('id="lonely-psu"')[1].split("</section>")[0]
    assert (
        "Sai số chuẩn khi một tầng chỉ có một cụm được chọn: cụm đơn lẻ được đo so với trung "
        "bình của toàn mẫu (mặc định của R)." in note
    ), "the page says the policy in Vietnamese words"
    assert "adjust" not in note and "PSU" not in note, "neither R's option nor the acronym"
    assert "<span data-affected>Lạng Sơn</span>" in note, "only the touched domain is named"
    lang_son = page.text.split('data-domain="Lạng Sơn" data-node="index">')[1].split("</tr>")[0]
    cao_bang = page.text.split('data-domain="Cao Bằng" data-node="index">')[1].split("</tr>")[0]
    assert "Lạng Sơn</a> *" in lang_son and "*" not in cao_bang

    excel = manager.get(f"/surveys/{survey.slug}/results.xlsx")
    assert excel.status_code == 200
    sheet = load_workbook(io.BytesIO(excel.content)).active
    assert sheet is not None
    assert (
        "Tầng chỉ có một cụm (cụm đơn lẻ được đo so với trung bình của toàn mẫu (mặc định của "
        "R)) quyết định sai số chuẩn của: Lạng Sơn." in str(sheet["A2"].value)
    )
    domains = {row[0] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert domains == {"Lạng Sơn", "Cao Bằng"}, "the download holds every domain"


def test_the_policy_is_a_setting_of_the_survey_and_changes_the_standard_errors(
    manager: Client, lonely: Survey
) -> None:
    from parindex.server.surveys.computed import survey_results

    survey = lonely
    adjust = {(r.domain, r.node): r.se for r in survey_results(survey).rows}
    survey.lonely_psu = "certainty"
    survey.save()
    certainty = {(r.domain, r.node): r.se for r in survey_results(survey).rows}
    # R: a lonely PSU adds its squared total under "adjust" and nothing under "certainty".
    assert certainty[("Lạng Sơn", "index")] < adjust[("Lạng Sơn", "index")]
    assert certainty[("Cao Bằng", "index")] == adjust[("Cao Bằng", "index")]
    page = manager.get(f"/surveys/{survey.slug}/results/?domain=Lạng Sơn")
    assert "cụm đơn lẻ không cộng thêm phương sai, như được chọn chắc chắn" in page.text
    manager.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = manager.get(f"/surveys/{survey.slug}/results/").text
    assert "a single cluster adds no variance, as if taken with certainty" in english


def test_the_note_says_the_draw_made_a_stratum_lonely_not_the_answers(
    manager: Client, lonely: Survey
) -> None:
    """The results keep every unit drawn (weight 0 until it answers), so a stratum is lonely
    when the draw took one cluster in it; a drawn village nobody answered in does not make one.
    The note used to say "sampled or answered", which left the manager to guess."""
    note = manager.get(f"/surveys/{lonely.slug}/results/").text.split('id="lonely-psu"')[1]
    note = note.split("</section>")[0]
    assert "Tầng mà lần chọn mẫu chỉ lấy một cụm: 1." in note
    assert "trả lời" in note and "hoặc" not in note.split("<details>")[0]

    silent = build_survey("sipas-2026-silent-village")
    units = list(silent.sample.order_by("position"))
    first = units[0]
    # Every household answers except those of one village of the first commune drawn.
    quiet = [
        u for u in units if u.stratum == first.stratum and u.clusters[:2] == first.clusters[:2]
    ]
    assert 0 < len(quiet) < len([u for u in units if u.clusters[0] == first.clusters[0]])
    answering = [u.position for u in units if u not in quiet]
    take_in(silent, on_time(silent, answering, np.random.default_rng(12)))
    page = manager.get(f"/surveys/{silent.slug}/results/").text
    note = page.split('id="lonely-psu"')[1].split("</section>")[0]
    assert "Không tầng nào chỉ có một cụm" in note, "one village answering is not lonely"


@pytest.mark.parametrize("policy", ["adjust", "average"])
def test_under_average_the_note_says_what_the_lonely_stratum_takes(
    manager: Client, lonely: Survey, policy: str
) -> None:
    lonely.lonely_psu = policy
    lonely.save()
    note = manager.get(f"/surveys/{lonely.slug}/results/").text.split('id="lonely-psu"')[1]
    said = "phương sai trung bình của các tầng khác có người trả lời" in note
    assert said == (policy == "average")
