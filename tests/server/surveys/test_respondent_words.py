"""The pages of a survey name whom it samples: households for SIPAS, officials for the PAR
INDEX officials' survey (its pages used to count "hộ", households, of officials)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import numpy as np
import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from parindex.core.surveys.ballot import Submission
from parindex.server.jobs import runner
from parindex.server.jobs.models import Job
from parindex.server.surveys.intake import take_in
from parindex.server.surveys.models import Survey
from tests.server.surveys.conftest import answers
from tests.server.surveys.test_collection import draw, manager, open_survey  # noqa: F401

pytestmark = pytest.mark.django_db
HOUSEHOLD = re.compile(r"\bhộ\b", re.IGNORECASE)


def section(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def pages(client: Client, survey: Survey) -> dict[str, str]:
    """What a manager reads about who was sampled, page by page."""
    detail = client.get(f"/surveys/{survey.slug}/").content.decode()
    results = client.get(f"/surveys/{survey.slug}/results/").content.decode()
    # Ballot sheets are typeset by a background job: queue it, run it, download its file.
    queued = client.get(f"/surveys/{survey.slug}/ballots.pdf", {"domain": "Cao Bằng"})
    job = Job.objects.get(pk=int(queued["Location"].rstrip("/").rsplit("/", 1)[1]))
    runner.run(job.pk)
    ballots = client.get(f"/jobs/{job.pk}/file")
    return {
        "detail": section(detail, '<span id="counted">', "</span>"),
        "quality": section(detail, '<ul id="quality-summary">', "</ul>"),
        "results": section(results, '<span id="counted">', "</span>"),
        "ballot": pypdf.PdfReader(io.BytesIO(b"".join(ballots.streaming_content)))
        .pages[0]
        .extract_text(),
    }


def drawn(client: Client, survey: Survey, questionnaire: str, edition: str) -> Survey:
    """The survey drawn (32 units) and 20 of them answered."""
    survey.questionnaire, survey.edition = questionnaire, edition
    survey.save()
    draw(client, survey, labels="")
    rng = np.random.default_rng(3)
    when = timezone.now() - timedelta(hours=1)
    officials = questionnaire == "par-2023-officials"
    take_in(
        survey,
        [
            Submission(u.code, when, "web", {"c1_6_1": "A"} if officials else answers(rng))
            for u in survey.sample.order_by("position")[:20]
        ],
    )
    return survey


def test_the_officials_survey_counts_officials_not_households(
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
) -> None:
    open_survey.questionnaire = "par-2023-officials"
    open_survey.save()
    form = manager.get(f"/surveys/{open_survey.slug}/sample/").content.decode()
    survey = drawn(manager, open_survey, "par-2023-officials", "par-index-province/2023")
    seen = pages(manager, survey)
    assert (
        seen["detail"] == seen["results"] == "20 / 32 cán bộ, công chức được chọn mẫu đã được tính"
    )
    assert "Trả lời trùng khớp với một cán bộ, công chức khác cùng cơ quan" in seen["quality"]
    assert "Cán bộ, công chức" in seen["ballot"]
    for where, text in seen.items():
        assert not HOUSEHOLD.search(text), where
    assert "Số cán bộ, công chức chọn trong mỗi cụm cuối" in form
    assert "Các cột ghi tên cán bộ, công chức trên phiếu" in form
    assert not HOUSEHOLD.search(section(form, "<form", "</form>"))


def test_sipas_still_counts_households(
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
) -> None:
    seen = pages(manager, drawn(manager, open_survey, "sipas-2023-citizens", "sipas/2023"))
    assert seen["results"] == "20 / 32 hộ được chọn mẫu đã được tính"
    assert "Trả lời trùng khớp với một hộ khác cùng thôn" in seen["quality"]
    assert "Hộ" in seen["ballot"]


def test_the_words_follow_the_language_switch(
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
) -> None:
    survey = drawn(manager, open_survey, "par-2023-officials", "par-index-province/2023")
    manager.cookies["django_language"] = "en"
    seen = pages(manager, survey)
    assert seen["results"] == "20 of 32 sampled officials counted"
    assert "Identical answers to another official of the same agency" in seen["quality"]
