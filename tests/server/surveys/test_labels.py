"""Every code core returns about a survey has words in the catalogue, and the manager's page
shows those words, never the codes."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pytest
from django.test import Client

from parindex.core.roles import Role
from parindex.core.surveys import ballot
from parindex.core.surveys.ballot import Submission, Verdict
from parindex.core.surveys.quality import Flag
from parindex.server.surveys import labels
from parindex.server.surveys.intake import take_in
from parindex.server.surveys.models import Survey
from tests.server.surveys.conftest import CLOSE, KEY, answers, on_time


def test_every_reason_core_gives_is_in_the_catalogue_with_the_same_parameters() -> None:
    from django.utils import translation

    assert set(ballot.REASONS) == set(labels.REASONS)
    for verdict, english in ballot.REASONS.items():
        with translation.override("en"):
            translated = str(labels.REASONS[verdict])
        assert re.findall(r"\{(\w+)\}", english) == re.findall(r"%\((\w+)\)s", translated)
        assert english.format(code="X", received="Y") == translated % {"code": "X", "received": "Y"}


def test_every_verdict_flag_and_channel_has_a_name() -> None:
    assert set(labels.VERDICTS) == set(Verdict)
    assert set(labels.FLAGS) == set(Flag)
    assert {"web", "paper", "kobo", "odk", "csv"} <= set(labels.CHANNELS)


@pytest.mark.django_db
def test_the_manager_page_names_verdicts_reasons_flags_and_channels_in_vietnamese(
    client: Client, make_user, survey: Survey
) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(9)
    batch = on_time(survey, range(20), rng)
    straight = {k: "5" for k in answers(rng)}
    batch[0] = Submission(batch[0].code, batch[0].received_at, "web", straight)
    mistyped = Submission("ZZZZ-ZZZZ-ZZZ", CLOSE - timedelta(days=1), "paper", {})
    late = Submission(
        ballot.ballot_code(KEY, survey.slug, 30), CLOSE + timedelta(days=1), "web", {}
    )
    again = Submission(batch[1].code, CLOSE - timedelta(hours=1), "paper", answers(rng))
    take_in(survey, [*batch, mistyped, late, again])
    client.force_login(make_user("manager", Role.SURVEY_MANAGER, None))
    page = client.get(f"/surveys/{survey.slug}/").text
    kept = page.split('id="kept-aside"')[1].split("</table>")[0]
    assert "&#x27;ZZZZ-ZZZZ-ZZZ&#x27; không phải mã phiếu (ký tự kiểm tra không khớp)" in kept
    assert "mã nhập sai" in kept and "nộp muộn" in kept and "trùng lặp" in kept
    assert "đã được tính trước đó" in kept and "sau khi điều tra đã kết thúc" in kept
    assert "phiếu giấy" in kept and "biểu mẫu trực tuyến" in kept
    flagged = page.split('id="flagged"')[1].split("</table>")[0]
    assert "cùng một câu trả lời cho mọi câu hỏi" in flagged
    for code in ("invalid_code", "duplicate", "late", "straight_lining", ">web<", ">paper<"):
        assert code not in kept + flagged, code
    assert "has already been counted" not in page and "check character" not in page
