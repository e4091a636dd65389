"""A stratum with one answering cluster is handled by the survey's lonely-PSU policy: the
results page and its Excel download answer, name the policy and the domains it touched."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.test import Client
from openpyxl import load_workbook

from parindex.core.roles import Role
from parindex.server.surveys.models import SampledUnit, Survey
from parindex.server.surveys.services import take_in
from tests.server.surveys.conftest import on_time

pytestmark = pytest.mark.django_db


def answered_but_one_village(survey: Survey) -> None:
    """One Lạng Sơn commune was drawn with a single village (its two villages' households are
    one village here), then everyone answers: that commune is a stratum with one PSU at stage
    2, a property of the draw (as in the officials' survey), which the weighting cannot hide."""
    units = list(survey.sample.order_by("position"))
    first = next(u for u in units if u.domain == "Lạng Sơn")
    merged = [
        u
        for u in units
        if u.domain == "Lạng Sơn"
        and u.clusters[0] == first.clusters[0]
        and u.clusters[1] != first.clusters[1]
    ]
    assert merged
    for unit in merged:
        unit.clusters = [unit.clusters[0], first.clusters[1], unit.clusters[2]]
    SampledUnit.objects.bulk_update(merged, ["clusters"])
    take_in(survey, on_time(survey, [u.position for u in units], np.random.default_rng(12)))


@pytest.fixture
def manager(client: Client, make_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(make_user("manager", Role.SURVEY_MANAGER, None))
    return client


def test_a_commune_with_one_answering_village_does_not_break_the_results(
    manager: Client, survey: Survey
) -> None:
    answered_but_one_village(survey)
    page = manager.get(f"/surveys/{survey.slug}/results/")
    assert page.status_code == 200
    assert survey.lonely_psu == "adjust", "R's adjust is the default policy"
    note = page.text.split('id="lonely-psu"')[1].split("</section>")[0]
    assert "Cách xử lý PSU đơn lẻ: adjust" in note, "the page names the policy in Vietnamese"
    assert "<span data-affected>Lạng Sơn</span>" in note, "only the touched domain is named"
    lang_son = page.text.split('data-domain="Lạng Sơn" data-node="index">')[1].split("</tr>")[0]
    cao_bang = page.text.split('data-domain="Cao Bằng" data-node="index">')[1].split("</tr>")[0]
    assert "Lạng Sơn</a> *" in lang_son and "*" not in cao_bang

    excel = manager.get(f"/surveys/{survey.slug}/results.xlsx")
    assert excel.status_code == 200
    sheet = load_workbook(io.BytesIO(excel.content)).active
    assert sheet is not None
    assert "Cách xử lý PSU đơn lẻ adjust quyết định sai số chuẩn của: Lạng Sơn." in str(
        sheet["A2"].value
    )
    domains = {row[0] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert domains == {"Lạng Sơn", "Cao Bằng"}, "the download holds every domain"


def test_the_policy_is_a_setting_of_the_survey_and_changes_the_standard_errors(
    manager: Client, survey: Survey
) -> None:
    from parindex.server.surveys.computed import survey_results

    answered_but_one_village(survey)
    adjust = {(r.domain, r.node): r.se for r in survey_results(survey).rows}
    survey.lonely_psu = "certainty"
    survey.save()
    certainty = {(r.domain, r.node): r.se for r in survey_results(survey).rows}
    # R: a lonely PSU adds its squared total under "adjust" and nothing under "certainty".
    assert certainty[("Lạng Sơn", "index")] < adjust[("Lạng Sơn", "index")]
    assert certainty[("Cao Bằng", "index")] == adjust[("Cao Bằng", "index")]
    page = manager.get(f"/surveys/{survey.slug}/results/?domain=Lạng Sơn")
    assert "Cách xử lý PSU đơn lẻ: certainty" in page.text
