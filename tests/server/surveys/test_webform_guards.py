"""The web form against guessing and replays: a code that opens nothing gets one answer whether
it is no code at all or a ballot already answered; too many such codes from one address, or for
one survey, pause code entry; a replayed submission says the ballot was already counted."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from parindex.core.surveys.ballot import ballot_code, normalise
from parindex.server.surveys import collection
from parindex.server.surveys.models import CodeAttempt, Response, SampledUnit, Survey
from tests.server.surveys.conftest import answers

pytestmark = pytest.mark.django_db

UNUSABLE = "Không dùng được mã này. Vui lòng kiểm tra lại mã"
WAIT = "Đã thử quá nhiều mã. Vui lòng đợi mười phút rồi thử lại."
ALREADY = "Phiếu này đã được tính; không có gì được gửi lại."


def _survey(slug: str) -> Survey:
    now = timezone.now()
    survey = Survey.objects.create(
        slug=slug,
        name="SIPAS thử",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    for position in range(3):
        SampledUnit.objects.create(
            survey=survey,
            position=position,
            code=normalise(ballot_code(b"guards", slug, position)),
            domain="Lạng Sơn",
            stratum="1",
            clusters=[1, 1, position],
            population=[10, 5, 100],
            inclusion_probability=0.01,
        )
    return survey


@pytest.fixture
def survey() -> Survey:
    return _survey("sipas-guards")


def _code(survey: Survey, position: int) -> str:
    return ballot_code(b"guards", survey.slug, position)


def _try(survey: Survey, code: str, address: str = "198.51.100.7", **extra: str) -> object:
    return Client().post(f"/s/{survey.slug}/", {"code": code}, REMOTE_ADDR=address, **extra)


def _alert(page: object) -> str:
    text = page.text  # type: ignore[attr-defined]
    start = text.index('role="alert">') + len('role="alert">')
    return text[start : text.index("</p>", start)]


def _answer(survey: Survey, unit: SampledUnit) -> None:
    """Every question the respondent is asked, answered (as the pages would save them)."""
    given = answers(np.random.default_rng(unit.position))
    given |= {"gender": "f", "age": "47", "used_service": "no"}
    collection.save_answers(survey, unit, given)


def _submit(survey: Survey, position: int) -> Client:
    """A respondent answers every question and sends the form; returns their browser."""
    unit = survey.sample.get(position=position)
    _answer(survey, unit)
    browser = Client()
    assert browser.post(f"/s/{survey.slug}/", {"code": _code(survey, position)}).status_code == 302
    assert browser.post(f"/s/{survey.slug}/review/").status_code == 302
    assert Response.objects.filter(unit=unit).count() == 1
    return browser


def test_no_code_and_an_answered_code_get_the_same_answer(survey: Survey) -> None:
    _submit(survey, 0)
    answered = _try(survey, _code(survey, 0))
    made_up = _try(survey, "ABCD-EFGH-JKM")
    assert answered.status_code == made_up.status_code == 200  # type: ignore[attr-defined]
    assert _alert(answered) == _alert(made_up)
    assert UNUSABLE in _alert(made_up)


def test_too_many_unusable_codes_from_one_address_pause_it(survey: Survey, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBFORM_FAILURES_PER_CLIENT = 3
    for guess in ("AAAA-AAAA-AAA", "BBBB-BBBB-BBB", "CCCC-CCCC-CCC"):
        assert UNUSABLE in _alert(_try(survey, guess))
    paused = _try(survey, _code(survey, 1))
    assert paused.status_code == 429  # type: ignore[attr-defined]
    assert _alert(paused) == WAIT, "not even a valid code is checked while paused"
    # Another address is not held up…
    assert _try(survey, _code(survey, 1), "203.0.113.5").status_code == 302  # type: ignore[attr-defined]
    # …and after ten minutes the first one may try again.
    CodeAttempt.objects.update(at=timezone.now() - timedelta(minutes=11))
    assert _try(survey, _code(survey, 2)).status_code == 302  # type: ignore[attr-defined]


def test_guessing_spread_over_addresses_pauses_the_survey(survey: Survey, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBFORM_FAILURES_PER_SURVEY = 4
    for number in range(4):
        _try(survey, f"ZZZZ-ZZZZ-ZZ{number}", f"192.0.2.{number}")
    assert _try(survey, _code(survey, 1), "192.0.2.99").status_code == 429  # type: ignore[attr-defined]
    other = _survey("sipas-other")
    assert _try(other, _code(other, 1), "192.0.2.99").status_code == 302  # type: ignore[attr-defined]


def test_a_forged_forwarded_address_does_not_escape_the_limit(survey: Survey, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBFORM_FAILURES_PER_CLIENT = 2
    settings.SECURE_PROXY_SSL_HEADER = None  # no proxy: X-Forwarded-For is the client's say-so
    for number in range(2):
        _try(survey, "YYYY-YYYY-YYY", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    forged = _try(survey, _code(survey, 1), HTTP_X_FORWARDED_FOR="10.0.0.77")
    assert forged.status_code == 429  # type: ignore[attr-defined]
    # Behind a trusted proxy, the address it appended is the client's.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    via_proxy = _try(survey, _code(survey, 1), HTTP_X_FORWARDED_FOR="10.0.0.1, 10.0.0.88")
    assert via_proxy.status_code == 302  # type: ignore[attr-defined]


def test_a_replayed_submission_says_the_ballot_was_already_counted(survey: Survey) -> None:
    browser = Client()
    unit = survey.sample.get(position=1)
    _answer(survey, unit)
    browser.post(f"/s/{survey.slug}/", {"code": _code(survey, 1)})
    saved_session = browser.cookies["sessionid"].value
    assert browser.post(f"/s/{survey.slug}/review/").status_code == 302
    # The same request sent again with the session it had (a resent form, a scripted replay).
    replay = Client()
    replay.cookies["sessionid"] = saved_session
    page = replay.post(f"/s/{survey.slug}/review/")
    assert page.status_code == 200
    assert ALREADY in page.text
    assert "chưa được trả lời" not in page.text
    assert Response.objects.filter(unit=unit).count() == 1
    with pytest.raises(collection.CollectionError, match="đã được tính"):
        collection.submit_web(survey, unit)


def test_a_closed_survey_says_so_and_offers_no_code_field(survey: Survey) -> None:
    """The walk of the demo found the closed SIPAS form saying it had ended above a code field
    and a Start button."""
    survey.closes_at = timezone.now() - timedelta(days=1)
    survey.save()
    page = Client().get(f"/s/{survey.slug}/")
    assert _alert(page) == "Cuộc khảo sát này đã kết thúc. Cảm ơn bạn đã quan tâm."
    assert 'name="code"' not in page.text and "Bắt đầu" not in page.text
    assert _try(survey, _code(survey, 0)).status_code == 200  # a post changes nothing either
    assert not Response.objects.filter(unit__survey=survey).exists()
