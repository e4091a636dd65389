"""How sure a unit's rank is, on its public profile: the cycle's stored rank interval (the one
the ranking page shows), the probability of each group, whether its fall since last year is
real, what each declared choice would make of its rank, or a sentence saying why there is none;
and its improvement plan, linked only for those who may see it.

The cycles are those of tests/e2e/test_rank_intervals.py: three provinces whose officials'
survey is linked to the 2025 cycle — Hà Nội far ahead, Lạng Sơn and Cao Bằng with the same
points and the same answers in separate strata, so that they swap places in about half the
replicates. In 2024 Lạng Sơn was first (no survey: its rank there is certain).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.formats import number_format
from django.utils.translation import override

from parindex.core.assessment.workflow import State
from parindex.core.roles import Role
from tests.e2e.test_rank_intervals import SHARES, officials_survey
from tests.server.plans.conftest import make_cycle

pytestmark = pytest.mark.django_db

URL = "/results/par-index-province/unit/province:20/"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str) -> str:
    found = re.search(
        r'<section aria-labelledby="certainty-title" id="certainty">(.*?)</section>', html, re.S
    )
    assert found is not None, "no certainty section"
    return found[1]


@pytest.fixture
def two_years(reference_units, make_user):  # type: ignore[no-untyped-def]
    from parindex.server.assessments import services
    from parindex.server.assessments.models import Assessment

    admin = make_user("admin", Role.ADMIN, None)
    before = make_cycle(
        2024, {"province:20": 0.95, "province:04": 0.88, "province:01": 0.80}, admin
    )
    Assessment.objects.filter(cycle=before).update(state=State.FINAL)
    services.publish(before, admin)
    cycle = make_cycle(2025, SHARES, admin)
    Assessment.objects.filter(cycle=cycle).update(state=State.FINAL)
    cycle.surveys.add(officials_survey(admin))
    services.publish(cycle, admin)  # queues the intervals; tests run tasks at once
    cycle.refresh_from_db()
    return cycle, admin


def test_the_profile_shows_the_stored_interval_groups_change_and_sentences(two_years) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.assessments.models import StoredCertainty

    cycle, _admin = two_years
    html = Client().get(URL).content.decode()
    stored = StoredCertainty.objects.get(cycle=cycle).payload["units"]["province:20"]
    part = section(html)

    # The interval equals the stored one (the ranking page's), as numbers and as a bar.
    bar = re.search(
        r'class="rank-interval" data-median="(\d+)" data-low="(\d+)" data-high="(\d+)"', part
    )
    assert bar is not None
    assert tuple(map(int, bar.groups())) == (stored["median"], stored["low"], stored["high"])
    assert (stored["low"], stored["high"]) == (2, 3), "Lạng Sơn and Cao Bằng swap places"
    assert f"hạng {stored['median']}, khoảng 90 %: 2–3" in part
    assert f'<dd id="certainty-rank">{stored["rank"]}/3</dd>' in part
    assert "Trong 90 % của 2.000 lần tính lại chỉ số, đơn vị xếp hạng từ 2 đến 3." in text(part)

    # Each group's probability, in % with a decimal comma, equal to the stored shares.
    groups = dict(
        re.findall(
            r'<tr data-group="(\w)"><th scope="row">\w</th><td class="num">([\d,]+)</td>', part
        )
    )
    assert list(groups) == [code for code, _share in stored["groups"]]
    with override("vi"):
        for code, share in stored["groups"]:
            assert groups[code] == number_format(100 * share, 1), code
    assert sum(share for _code, share in stored["groups"]) == pytest.approx(1)

    # From first in 2024 (certain) to 2nd or 3rd: the fall is real in every replicate.
    move = stored["move"]
    assert move["delta_rank"] < 0 and move["p_real"] == 1.0
    before = stored["rank"] + move["delta_rank"]
    assert before == 1
    assert (
        f"Đơn vị tụt từ hạng 1 năm 2024 xuống hạng {stored['rank']}; xác suất sự tụt hạng này là"
        " thật" in text(part)
    )
    assert "là 100 %" in text(part)

    # One-at-a-time sentences from the stored codes, in Vietnamese (the edition declares equal
    # field weights, rounding to 1 decimal and N/A as zero; uniform shares change no rank).
    sentences = re.findall(r"<li>(.*?)</li>", part.split('id="sensitivity"')[1])
    assert len(sentences) == len(stored["statements"]) >= 2
    assert any(s.startswith("Với cách tính trọng số") for s in sentences)

    english = Client()
    english.cookies["django_language"] = "en"
    english_part = section(english.get(URL).content.decode())
    assert "How sure is the rank" in english_part and "Which choice drives the rank" in english_part


def test_a_sentence_says_why_when_there_is_no_interval(reference_units, make_user) -> None:  # type: ignore[no-untyped-def]
    """Lạng Sơn's cycle of its departments and communes declares no uncertain choice and has
    no survey (tests/server/assessments/test_certainty.py)."""
    import numpy as np

    from parindex.server.accounts.models import Unit
    from parindex.server.demo.provincial import build_provincial_cycle

    lang_son = Unit.objects.get(ref="province:20")
    admin = make_user("admin-ls", Role.ADMIN, lang_son)
    appraiser = make_user("appraiser", Role.APPRAISER, None)
    cycle = build_provincial_cycle(np.random.default_rng(1), lang_son, admin, appraiser).cycle
    ref = cycle.assessments.order_by("unit__ref").first().unit.ref
    html = Client().get(f"/results/par-index-provincial-units/unit/{ref}/").content.decode()
    part = section(html)
    assert "Không có khoảng thứ hạng: phiên bản phương pháp không khai báo" in part
    assert 'class="rank-interval"' not in part and "group-probabilities" not in part


def test_the_plan_is_linked_for_the_units_leader_not_for_the_public(two_years, make_user) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit
    from parindex.server.plans import services

    cycle, _admin = two_years
    lang_son = Unit.objects.get(ref="province:20")
    leader = make_user("leader-20", Role.LEADER, lang_son)
    plan = services.create_plan(leader, cycle, lang_son, "groupA")
    link = f'href="/plans/{plan.pk}/"'

    anonymous = Client().get(URL).content.decode()
    assert link not in anonymous and 'id="plans"' not in anonymous
    other = Client()
    other.force_login(make_user("leader-04", Role.LEADER, Unit.objects.get(ref="province:04")))
    assert link not in other.get(URL).content.decode(), "another province's leader"

    own = Client()
    own.force_login(leader)
    html = own.get(URL).content.decode()
    assert link in html
    assert "Kế hoạch từ kết quả năm 2025: nhóm A" in text(html)
    assert own.get(f"/plans/{plan.pk}/").status_code == 200


def test_the_profile_says_the_interval_is_being_computed_and_is_not_cached(  # type: ignore[no-untyped-def]
    reference_units, make_user, settings
) -> None:
    """As the ranking page: never computed in the request; queued, said, shown once stored."""
    from parindex.server.assessments import services
    from parindex.server.assessments.models import Assessment
    from parindex.server.assessments.services import certainty
    from tests.server.plans.conftest import PROVINCES

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    admin = make_user("admin", Role.ADMIN, None)
    cycle = make_cycle(2025, PROVINCES, admin)
    Assessment.objects.filter(cycle=cycle).update(state=State.FINAL)
    services.publish(cycle, admin)  # queues the computation; no worker runs it here
    part = section(Client().get(URL).content.decode())
    assert "Chưa có khoảng thứ hạng: hệ thống đang tính trong nền" in part
    assert 'class="rank-interval"' not in part
    certainty.refresh.call(cycle.pk)  # what the worker does
    part = section(Client().get(URL).content.decode())  # anonymous: cached if it had been
    assert 'class="rank-interval"' in part and "đang tính trong nền" not in part
