"""Rank-interval bars in Chromium, on constructed data with known answers.

Three provinces in a PAR INDEX cycle whose officials' survey is linked to it: Hà Nội stands at
99 % of every component and all its officials answer A (a bootstrap replicate of a constant is
that constant): whatever the draw or declared choice, it is first — its interval is the single
rank 1. Lạng Sơn and Cao Bằng have the same points everywhere and the same answers, drawn in
two separate strata: their survey scores overlap exactly, each replicate of the two strata is
independent, so they swap places in about half the replicates and both intervals are 2–3.

The preview shows the bars; publication keeps them for the public ranking; the survey's
replicates and the intervals are computed once and read afterwards (counted, not timed),
until the survey's data change.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from parindex.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"
SHARES = {"province:01": 0.99, "province:20": 0.80, "province:04": 0.80}
AHEAD, CLOSE_PAIR = "province:01", ("province:20", "province:04")


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def officials_survey(admin):  # type: ignore[no-untyped-def]
    """Each province a stratum of 6 agencies (PSUs) × 5 officials; Hà Nội answers A to
    everything, the two others the same draw of A–D answers."""
    from parindex.core.surveys.ballot import ballot_code, normalise
    from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires
    from parindex.server.accounts.models import Unit
    from parindex.server.surveys.models import Response, SampledUnit, Survey

    opens = datetime(2025, 9, 1, tzinfo=UTC)
    survey = Survey.objects.create(
        slug="par-officials-2025",
        name="Điều tra cán bộ, công chức 2025",
        questionnaire="par-2023-officials",
        edition="par-index-province/2023",
        opens_at=opens,
        closes_at=opens + timedelta(days=30),
    )
    questionnaire = load_questionnaire(shipped_questionnaires()[survey.questionnaire]).value
    assert questionnaire is not None
    questions = [q.id for q in questionnaire.questions() if q.node]
    shared = np.random.default_rng(7).choice(
        ["A", "B", "C", "D"], size=(30, len(questions)), p=[0.4, 0.3, 0.2, 0.1]
    )
    position = 0
    for ref in SHARES:
        unit = Unit.objects.get(ref=ref)
        for k in range(30):
            sampled = SampledUnit.objects.create(
                survey=survey,
                position=position,
                code=f"C{position:05d}",
                domain=unit.name_vi,  # a survey names its domains as people do
                stratum=ref,
                clusters=[f"agency-{k // 5}", f"official-{position}"],
                inclusion_probability=0.1,
            )
            grades = ["A"] * len(questions) if ref == AHEAD else list(shared[k])
            Response.objects.create(
                unit=sampled,
                channel="web",
                received_at=opens + timedelta(days=1),
                answers=dict(zip(questions, grades, strict=True)),
            )
            position += 1
    # One official of Hà Nội's last agency has not answered yet (a ballot code of the survey).
    SampledUnit.objects.create(
        survey=survey,
        position=position,
        code=normalise(ballot_code(b"test-key", survey.slug, position)),
        domain=Unit.objects.get(ref=AHEAD).name_vi,
        stratum=AHEAD,
        clusters=["agency-5", f"official-{position}"],
        inclusion_probability=0.1,
    )
    return survey


def late_at(survey):  # type: ignore[no-untyped-def]
    return survey.opens_at + timedelta(days=2)


def bar(page: Page, table: str, ref: str):  # type: ignore[no-untyped-def]
    return page.locator(f"#{table} tr[data-unit='{ref}'] .rank-interval")


def test_bars_preview_public_and_stored_replicates(  # type: ignore[no-untyped-def]
    live_server, make_user, new_page, monkeypatch
) -> None:
    from parindex.core.surveys.ballot import Submission
    from parindex.server.accounts.services import load_reference_units
    from parindex.server.assessments import services
    from parindex.server.assessments.models import Assessment
    from parindex.server.assessments.services import certainty
    from parindex.server.surveys import replicates
    from parindex.server.surveys.intake import take_in
    from parindex.server.surveys.models import Response
    from tests.server.plans.conftest import make_cycle

    counted = {"replicates": 0, "intervals": 0}

    def counting(name, real):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            counted[name] += 1
            return real(*args, **kwargs)

        return wrapper

    # Spies that count the two expensive computations (the live server runs in this process).
    monkeypatch.setattr(replicates, "_compute", counting("replicates", replicates._compute))
    monkeypatch.setattr(certainty, "compute", counting("intervals", certainty.compute))

    load_reference_units()
    admin = make_user("admin", Role.ADMIN, None, password=PASSWORD)
    cycle = make_cycle(2025, SHARES, admin)
    Assessment.objects.filter(cycle=cycle).update(state="final")
    survey = officials_survey(admin)
    cycle.surveys.add(survey)
    base = live_server.url

    page = new_page()
    log_in(page, base, "admin")
    page.goto(f"{base}/assessments/{cycle.pk}/preview/")
    expect(page.locator("#rank-interval-note")).to_contain_text("khoảng 90 %")
    ahead = bar(page, "preview", AHEAD)
    expect(ahead).to_have_attribute("data-low", "1")
    expect(ahead).to_have_attribute("data-high", "1")
    expect(ahead.locator(".visually-hidden")).to_have_text("hạng 1, khoảng 90 %: 1–1")
    for ref in CLOSE_PAIR:
        # Each is ahead in about half the replicates: its median is 2 or 3, its interval both.
        expect(bar(page, "preview", ref).locator(".visually-hidden")).to_have_text(
            re.compile(r"^hạng [23], khoảng 90 %: 2–3$")
        )
    # Hà Nội is in group A in every replicate.
    expect(page.locator(f"#preview tr[data-unit='{AHEAD}'] .p-top")).to_have_text("100 %")
    assert counted == {"replicates": 1, "intervals": 1}
    page.reload()
    expect(bar(page, "preview", AHEAD)).to_have_attribute("data-high", "1")
    assert counted == {"replicates": 1, "intervals": 1}

    services.publish(cycle, admin)
    public = new_page()
    public.goto(f"{base}/results/par-index-province/2025/")
    ahead = bar(public, "ranking", AHEAD)
    expect(ahead.locator(".visually-hidden")).to_have_text("hạng 1, khoảng 90 %: 1–1")
    # A degenerate interval is one place wide: 1/3 of the axis, starting at its left end.
    span = ahead.locator(".rank-bar .span")
    assert span.get_attribute("style") == "left: 0.0%; width: 33.33%"
    lows, highs = [], []
    for ref in CLOSE_PAIR:
        shown = bar(public, "ranking", ref)
        expect(shown.locator(".visually-hidden")).to_have_text(
            re.compile(r"^hạng [23], khoảng 90 %: 2–3$")
        )
        lows.append(int(shown.get_attribute("data-low") or 0))
        highs.append(int(shown.get_attribute("data-high") or 0))
    assert lows[0] <= highs[1] and lows[1] <= highs[0]  # the two intervals overlap
    # Publication and two more pages (one signed in, which bypasses the page cache) reuse them.
    page.goto(f"{base}/results/par-index-province/2025/")
    expect(bar(page, "ranking", AHEAD)).to_have_attribute("data-high", "1")
    assert counted == {"replicates": 1, "intervals": 1}

    # The late official's answer comes in (an intake): both are stale, computed once more.
    late = survey.sample.get(response__isnull=True)
    answers = dict.fromkeys(next(iter(Response.objects.values_list("answers", flat=True))), "A")
    report = take_in(survey, [Submission(late.code, late_at(survey), "web", answers)])
    assert report.counted == 1
    page.goto(f"{base}/results/par-index-province/2025/")
    expect(bar(page, "ranking", AHEAD)).to_have_attribute("data-high", "1")
    assert counted == {"replicates": 2, "intervals": 2}


def test_no_column_and_a_reason_without_uncertainty(live_server, new_page) -> None:  # type: ignore[no-untyped-def]
    """A table imported from a published source has no component points to recompute."""
    from django.utils import timezone

    from parindex.server.accounts.models import Unit
    from parindex.server.accounts.services import load_reference_units
    from parindex.server.results.models import Publication, ResultRow

    load_reference_units()
    publication = Publication.objects.create(
        index="par-index-province",
        year=2022,
        origin="import",
        title="PAR INDEX 2022",
        source="Báo cáo PAR INDEX 2022",
        published_at=timezone.now(),
    )
    ResultRow.objects.create(
        publication=publication,
        unit=Unit.objects.get(ref="province:20"),
        pct=81.45,
        rank=54,
        ranked_of=63,
    )
    page = new_page()
    page.goto(f"{live_server.url}/results/par-index-province/2022/")
    expect(page.locator("#rank-interval-note")).to_contain_text("được công bố ở nơi khác")
    expect(page.locator("#ranking .rank-interval")).to_have_count(0)
    expect(page.locator("#ranking th", has_text="khoảng 90 %")).to_have_count(0)
