"""Hostile and broken files on the survey pages: each refused with its reason (never a 500) on
the form when the zip or the size tells, else on the job's page once the task has read it; and
nothing drawn, counted or left staged."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from parindex.server.jobs.runner import staging
from parindex.server.surveys.models import Response, SampledUnit, SetAside, Survey
from tests import crafted
from tests.server.surveys.test_collection import draw, manager, open_survey  # noqa: F401

pytestmark = pytest.mark.django_db

CRAFTED = [
    pytest.param(
        "bomb.xlsx",
        crafted.zip_bomb(),
        "bomb.xlsx: xl/worksheets/sheet1.xml expands",
        id="zip bomb",
    ),
    pytest.param(
        "cut.xlsx",
        crafted.truncated(crafted.workbook([["tinh", "xa"], ["A", "B"]] * 40)),
        "cut.xlsx: not an Excel workbook (.xlsx), or the file is damaged or truncated",
        id="truncated workbook",
    ),
    pytest.param(
        "long.csv",
        crafted.long_field_csv(),
        "long.csv, row 2: a value longer than 131,072 characters",
        id="131k-character field",
    ),
    pytest.param("big.csv", crafted.big_csv(25), "Tệp lớn hơn 20 MB.", id="25 MB CSV"),
]


@pytest.mark.parametrize(("name", "data", "message"), CRAFTED)
def test_a_crafted_frame_draws_nothing(
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
    name: str,
    data: bytes,
    message: str,
) -> None:
    page = draw(manager, open_survey, follow=True, frame=SimpleUploadedFile(name, data))
    assert page.status_code == 200  # type: ignore[attr-defined]
    assert message in page.text  # type: ignore[attr-defined]
    assert not SampledUnit.objects.exists()
    assert not list(staging().iterdir()), "no upload left behind"


@pytest.mark.parametrize(("name", "data", "message"), CRAFTED)
def test_a_crafted_export_counts_nothing(
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
    name: str,
    data: bytes,
    message: str,
) -> None:
    draw(manager, open_survey)
    page = manager.post(
        f"/surveys/{open_survey.slug}/import/",
        {
            "export": SimpleUploadedFile(name, data),
            "channel": "kobo",
            "code_column": "ballot_code",
            "time_column": "_submission_time",
        },
        follow=True,
    )
    assert page.status_code == 200
    assert message in page.text
    assert not Response.objects.exists() and not SetAside.objects.exists()
    assert not list(staging().iterdir()), "no upload left behind"


@pytest.mark.parametrize("asked", ["abc", "-1", "1e9", "９", "99999999999999999999"])
def test_a_hand_edited_question_number_shows_a_question(
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
    asked: str,
) -> None:
    draw(manager, open_survey)
    unit = open_survey.sample.order_by("position").first()
    assert unit is not None
    phone = Client()
    phone.post(f"/s/{open_survey.slug}/", {"code": unit.code})
    page = phone.get(f"/s/{open_survey.slug}/questions/", {"q": asked})
    assert page.status_code == 200 and "Câu 1 / " in page.text
