"""The public home lists what is published, and the public's links open: no link to a page
that refuses them, provenance said in words with the recorded form one link away."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from parindex.core.roles import Role
from parindex.server.assessments.models import Cycle

pytestmark = pytest.mark.django_db

PROVENANCE = {
    "edition_id": "par-index-province/2023",
    "inputs_sha256": "74eb6091bc54ad04d6f02aebe4eb1ef70c2834ff6addaa137ab2db572029a82f",
    "parameters": {"aggregation": "sum", "rounding": {"decimals": 2}},
    "engine_version": "1",
}


@pytest.fixture
def cycles() -> tuple[Cycle, Cycle]:
    now = timezone.now()
    deadlines = {
        "self_assessment_deadline": now,
        "explanation_deadline": now,
        "appraisal_deadline": now,
    }
    published = Cycle.objects.create(
        year=2025,
        name="Chỉ số CCHC cấp tỉnh 2025",
        edition="par-index-province/2023",
        published_at=now - timedelta(days=30),
        published_table=[
            {"unit": "province:20", "name_vi": "Tỉnh Lạng Sơn", "rank": 1, "index_pct": 88.5}
        ],
        provenance=PROVENANCE,
        **deadlines,
    )
    current = Cycle.objects.create(
        year=2026,
        name="Chỉ số CCHC cấp tỉnh 2026",
        edition="par-index-province/2025",
        is_open=True,
        **deadlines,
    )
    return published, current


def links(html: str) -> list[str]:
    return [h for h in re.findall(r'href="(/[^"#]*)"', html) if not h.startswith("/static/")]


def test_the_home_page_lists_each_published_index_with_its_year_and_link(
    client: Client, cycles: tuple[Cycle, Cycle]
) -> None:
    published, _current = cycles
    page = client.get("/").text
    listing = page.split('id="published"')[1].split("</section>")[0]
    assert "Chỉ số cải cách hành chính của các tỉnh" in listing, "the index by its edition's title"
    assert '<td class="num">2025</td>' in listing
    assert f'href="/assessments/{published.pk}/published/"' in listing
    assert "2026" not in listing, "a cycle in progress is not published"
    assert "chưa công bố kết quả nào" not in page


def test_every_link_the_public_account_is_shown_opens(
    client: Client, make_user, cycles: tuple[Cycle, Cycle]
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user("public", Role.PUBLIC, None))
    home = client.get("/home/public/").text
    assert "tải dữ liệu mở" not in home, "no promise of downloads that do not exist"
    seen: set[str] = set()
    queue = ["/home/public/"]
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(("/accounts/logout", "/i18n/")):
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        assert response.status_code == 200, f"{path} answers {response.status_code}"
        if response["Content-Type"].startswith("text/html") and len(seen) < 60:
            queue += links(response.text)
    assert f"/assessments/{cycles[0].pk}/published/" in seen


def test_provenance_is_said_in_words_with_the_recorded_form_behind_a_link(
    client: Client, cycles: tuple[Cycle, Cycle]
) -> None:
    published = cycles[0]
    page = client.get(f"/assessments/{published.pk}/published/").text
    words = page.split('id="provenance"')[1].split("</p>")[0]
    assert "Tính theo phiên bản phương pháp par-index-province/2023" in words
    assert "dấu vân tay dữ liệu đầu vào 74eb6091bc54ad04…" in words
    assert "edition_id" not in page and "inputs_sha256" not in page and "{&#x27;" not in page
    raw = client.get(f"/assessments/{published.pk}/provenance.json")
    assert raw.json() == PROVENANCE
    assert client.get(f"/assessments/{cycles[1].pk}/provenance.json").status_code == 404


def test_every_page_leads_to_the_published_results_and_the_public_feedback(
    client: Client, make_user, cycles: tuple[Cycle, Cycle]
) -> None:  # type: ignore[no-untyped-def]
    """The walk of the demo found /results/ and /phan-anh-kien-nghi/ linked from nowhere: a
    visitor could not find the published rankings or citizens' feedback."""
    anonymous = client.get("/").text
    nav = anonymous.split('class="user-nav"')[1].split("</nav>")[0]
    assert '<a href="/results/">Kết quả đã công bố</a>' in nav
    assert '<a href="/phan-anh-kien-nghi/">Phản ánh, kiến nghị</a>' in nav
    client.force_login(make_user("officer", Role.APPRAISER, None))
    signed_in = client.get("/assessments/").text.split('class="user-nav"')[1]
    assert 'href="/results/"' in signed_in and 'href="/phan-anh-kien-nghi/"' in signed_in


def test_the_year_of_a_publication_is_not_written_with_a_thousands_dot(
    client: Client, cycles: tuple[Cycle, Cycle]
) -> None:
    listing = client.get("/").text.split('id="published"')[1]
    assert 'data-year="2025"' in listing and "2.025" not in listing
