"""The receipt's link opens a rating page without a login; a resent form is stored once, and a
dossier is rated online once."""

from __future__ import annotations

import re

from django.test import Client
from django.utils import timezone

from parindex.server.ratings.models import Dossier, Rating
from parindex.server.ratings.services import rating_token

from .conftest import Site


def make_dossier(site: Site) -> Dossier:
    now = timezone.now()
    return Dossier.objects.create(
        code="HS-77", procedure="1.001", unit=site.centre, received=now, appointment=now
    )


def answers(page: str, **choices: str) -> dict[str, str]:
    match = re.search(r'name="client_id" value="([^"]+)"', page)
    assert match, "the form carries a client id"
    return {"client_id": match.group(1), **choices}


def test_a_citizen_rates_from_the_receipt_link_and_a_resent_form_counts_once(
    site: Site, client: Client
) -> None:
    dossier = make_dossier(site)
    url = f"/mot-cua/danh-gia/{rating_token(dossier)}/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đánh giá chất lượng phục vụ" in text and "HS-77" in text
    form = answers(
        text, index3="2", index7="1", satisfaction="4", comment="<script>alert(1)</script>"
    )
    first = client.post(url, form)
    assert "Cảm ơn quý khách!" in first.content.decode()
    again = client.post(url, form)  # the browser resends the same form
    assert again.status_code == 200
    assert Rating.objects.count() == 1
    rating = Rating.objects.get()
    assert (rating.channel, rating.unit_id, rating.index3, rating.index7, rating.satisfaction) == (
        "online",
        site.centre.pk,  # type: ignore[attr-defined]
        2,
        1,
        4,
    )
    # A second, new form for the same dossier is not a second online rating.
    later = client.get(url)
    assert "đã được đánh giá trực tuyến" in later.content.decode()
    assert (
        client.post(
            url,
            answers(
                text.replace(form["client_id"], "0" * 8 + "-0000-4000-8000-" + "0" * 12),
                satisfaction="1",
            ),
        ).status_code
        == 200
    )
    assert Rating.objects.count() == 1


def test_a_form_without_satisfaction_is_returned_with_the_reason(
    site: Site, client: Client
) -> None:
    url = f"/mot-cua/danh-gia/{rating_token(make_dossier(site))}/"
    response = client.post(url, answers(client.get(url).content.decode(), index3="2"))
    assert response.status_code == 422
    text = response.content.decode()
    assert "Xin chọn mức độ hài lòng của quý khách." in text
    assert 'value="2" checked' in text  # what was chosen is kept
    assert Rating.objects.count() == 0


def test_a_forged_link_is_not_found(site: Site, client: Client) -> None:
    token = rating_token(make_dossier(site))
    assert client.get(f"/mot-cua/danh-gia/{token[:-2]}xx/").status_code == 404


def test_the_one_stop_system_gets_the_link_and_qr_for_a_receipt(site: Site, client: Client) -> None:
    make_dossier(site)
    response = client.get(
        "/api/v1/ingest/dossiers/HS-77/rating-link",
        HTTP_AUTHORIZATION=f"Bearer {site.dossier_token}",
    )
    assert response.status_code == 200
    body = response.json()
    path = body["url"].split("testserver")[1]
    assert client.get(path).status_code == 200
    svg = client.get(body["qr_svg"].split("testserver")[1])
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    missing = client.get(
        "/api/v1/ingest/dossiers/NONE/rating-link",
        HTTP_AUTHORIZATION=f"Bearer {site.dossier_token}",
    )
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "code": "not_found",
        "message": "no dossier 'NONE' in this token's scope",
    }
