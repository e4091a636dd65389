"""Ratings pushed by counter devices: idempotent, validated, scoped, answered item by item."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parindex.server.ratings.models import Dossier, Rating

from .conftest import Site

# Every answer here is the same whether the gateway middleware or the Ninja operation gives it.
pytestmark = pytest.mark.usefixtures("gateway")


def rating(**fields: Any) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "satisfaction": 5,
        "submitted_at": timezone.now().isoformat(),
        "counter": "Q1",
        "index3": 2,
        "index4": 2,
        "index7": 1,
        **fields,
    }


def post(client: Client, path: str, token: str, body: Any) -> Any:
    return client.post(
        f"/api/v1/ingest/{path}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_retried_rating_is_stored_once(site: Site, client: Client) -> None:
    body = rating()
    first = post(client, "ratings", site.rating_token, body)
    assert first.status_code == 201, first.content
    again = post(client, "ratings", site.rating_token, body)
    assert again.status_code == 200
    assert again.json()["outcome"] == "duplicate"
    assert again.json()["id"] == first.json()["id"]
    assert Rating.objects.count() == 1
    stored = Rating.objects.get()
    assert (stored.unit_id, stored.device_id, stored.channel) == (
        site.centre.pk,
        site.device.pk,
        "device",
    )  # type: ignore[attr-defined]


def test_a_dossier_is_rated_once_per_channel(site: Site, client: Client) -> None:
    now = timezone.now()
    Dossier.objects.create(
        code="HS-9",
        procedure="1.001",
        unit=site.centre,
        received=now,
        appointment=now,
        officer="Lê Văn C",
    )
    assert (
        post(client, "ratings", site.rating_token, rating(dossier_code="HS-9")).status_code == 201
    )
    second = post(client, "ratings", site.rating_token, rating(dossier_code="HS-9"))
    assert second.status_code == 422
    assert second.json() == {
        "error": {"code": "rejected", "message": "dossier 'HS-9' is already rated on this channel"}
    }
    assert Rating.objects.get().officer == "Lê Văn C"


def test_a_dossier_of_another_unit_is_refused(site: Site, client: Client) -> None:
    now = timezone.now()
    Dossier.objects.create(
        code="HS-Q", procedure="1.001", unit=site.other, received=now, appointment=now
    )
    response = post(client, "ratings", site.rating_token, rating(dossier_code="HS-Q"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "rejected"
    assert "outside this device's scope" in response.json()["error"]["message"]
    assert Rating.objects.count() == 0


def test_a_batch_answers_each_item_by_index_and_keeps_the_good_ones(
    site: Site, client: Client
) -> None:
    base = timezone.now() - timedelta(hours=1)
    good = [rating(submitted_at=(base + timedelta(minutes=5 * i)).isoformat()) for i in range(3)]
    items = [
        good[0],
        rating(satisfaction=9),
        good[1],
        {"client_id": "not-a-uuid"},
        good[2],
        good[0],
    ]
    response = post(client, "ratings/batch", site.rating_token, {"items": items})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["outcome"] for r in body["results"]] == [
        "stored",
        "rejected",
        "stored",
        "rejected",
        "stored",
        "duplicate",
    ]
    assert [r["index"] for r in body["results"]] == list(range(6))
    assert body["results"][1]["errors"] == ["satisfaction: Input should be less than or equal to 5"]
    assert any(e.startswith("client_id:") for e in body["results"][3]["errors"])
    assert (body["stored"], body["duplicate"], body["rejected"]) == (3, 1, 2)
    assert Rating.objects.count() == 3
    # The device replays the whole batch after a lost answer: nothing new is stored.
    replay = post(client, "ratings/batch", site.rating_token, {"items": items}).json()
    assert (replay["stored"], replay["duplicate"], replay["rejected"]) == (0, 4, 2)
    assert Rating.objects.count() == 3


def test_a_burst_from_one_device_is_kept_but_flagged(site: Site, client: Client) -> None:
    moment = timezone.now() - timedelta(minutes=10)
    items = [rating(submitted_at=(moment + timedelta(seconds=i)).isoformat()) for i in range(10)]
    body = post(client, "ratings/batch", site.rating_token, {"items": items}).json()
    flags = [r["burst"] for r in body["results"]]
    assert flags == [False] * 6 + [True] * 4
    assert Rating.objects.filter(burst=True).count() == 4


def test_ratings_stored_by_earlier_requests_count_towards_a_burst(
    site: Site, client: Client
) -> None:
    moment = timezone.now() - timedelta(minutes=30)

    def burst(at: Any) -> bool:
        response = post(client, "ratings", site.rating_token, rating(submitted_at=at.isoformat()))
        assert response.status_code == 201, response.content
        return bool(response.json()["burst"])

    assert [burst(moment + timedelta(seconds=5 * i)) for i in range(8)] == [False] * 6 + [True] * 2
    # A queue sent late: a rating given half a minute before them is within the window too.
    assert burst(moment - timedelta(seconds=30)) is True
    # Five minutes on, the device is quiet again.
    assert burst(moment + timedelta(minutes=5)) is False
    assert Rating.objects.filter(burst=True).count() == 3


def conforms(path: str, response: Any) -> None:
    """The answer validates against the committed OpenAPI document of the one /api/v1 API."""
    import json

    from jsonschema import Draft202012Validator

    from parindex.server.api.schema import COMMITTED

    document = json.loads(COMMITTED.read_text("utf-8"))
    answers = document["paths"][f"/api/v1/ingest/{path}"]["post"]["responses"]
    schema = answers[str(response.status_code)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document["components"]})
    assert [e.message for e in validator.iter_errors(response.json())] == [], path


def test_answers_follow_the_committed_openapi_document(site: Site, client: Client) -> None:
    body = rating()
    answers = [
        post(client, "ratings", site.rating_token, body),  # stored
        post(client, "ratings", site.rating_token, body),  # a retry
        post(client, "ratings", site.rating_token, rating(satisfaction=0)),
        post(client, "ratings", "not-a-token", rating()),
    ]
    assert [a.status_code for a in answers] == [201, 200, 422, 401]
    for answer in answers:
        conforms("ratings", answer)
    batch = post(client, "ratings/batch", site.rating_token, {"items": [rating(), {}]})
    assert batch.status_code == 200
    conforms("ratings/batch", batch)


def test_a_refused_request_has_the_open_data_api_s_error_shape(site: Site, client: Client) -> None:
    too_many = {"items": [rating() for _ in range(501)]}
    response = post(client, "ratings/batch", site.rating_token, too_many)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == "invalid"
    assert Rating.objects.count() == 0


@pytest.mark.parametrize("header", ["", "Bearer nope", "Token x"])
def test_without_a_valid_token_nothing_is_stored(site: Site, client: Client, header: str) -> None:
    response = client.post(
        "/api/v1/ingest/ratings",
        rating(),
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert Rating.objects.count() == 0


def test_a_revoked_token_is_refused(site: Site, client: Client) -> None:
    from parindex.server.ratings.models import IngestToken

    IngestToken.objects.update(revoked_at=timezone.now())
    assert post(client, "ratings", site.rating_token, rating()).status_code == 401


def test_a_token_revoked_after_use_is_refused_at_once(site: Site, client: Client) -> None:
    """The server keeps a live token a few seconds (docs/onestop.md); revoking it here ends that."""
    from parindex.server.ratings.models import IngestToken

    assert post(client, "ratings", site.rating_token, rating()).status_code == 201
    for token in IngestToken.objects.filter(purpose=IngestToken.Purpose.RATINGS):
        token.revoked_at = timezone.now()
        token.save()
    assert post(client, "ratings", site.rating_token, rating()).status_code == 401
    assert Rating.objects.count() == 1


def test_a_batch_over_the_limit_is_refused_whole(site: Site, client: Client) -> None:
    response = post(
        client, "ratings/batch", site.rating_token, {"items": [rating() for _ in range(501)]}
    )
    assert response.status_code == 422
    assert Rating.objects.count() == 0


def test_kiosk_feedback_resent_after_a_lost_answer_is_kept_once(site: Site, client: Client) -> None:
    from parindex.server.feedback.models import Feedback

    client.force_login(site.device)  # type: ignore[arg-type]
    body = {"items": [{"client_id": str(uuid.uuid4()), "content": "Chờ lâu", "contact": "0900"}]}
    first = client.post("/api/v1/ingest/kiosk/feedback", body, content_type="application/json")
    again = client.post("/api/v1/ingest/kiosk/feedback", body, content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json()["references"] == again.json()["references"]
    item = Feedback.objects.get()
    assert (item.unit_id, item.source) == (site.centre.pk, "kiosk")  # type: ignore[attr-defined]
    # Only counter device accounts queue feedback from a kiosk.
    client.logout()
    assert (
        client.post(
            "/api/v1/ingest/kiosk/feedback", body, content_type="application/json"
        ).status_code
        == 401
    )
