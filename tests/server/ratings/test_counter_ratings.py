"""Counter ratings taken in by the short ways (ratings/gateway.py, payloads.canonical_rating,
services/counter_ratings.py: one statement on PostgreSQL) behave as the long ones: the same
ratings read, the same burst flags, the same answers with the gateway on and off."""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from pydantic import ValidationError

from parindex.server.ratings import services
from parindex.server.ratings.models import Channel, Rating
from parindex.server.ratings.payloads import RatingIn, canonical_rating

from .burst_rule import expected_flags
from .conftest import Site

UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
AT = "2025-05-06T08:30:00+07:00"


def item(**fields: Any) -> dict[str, Any]:
    return {"client_id": UUID, "satisfaction": 4, "submitted_at": AT, "counter": "Q1", **fields}


@pytest.mark.parametrize(
    "raw",
    [
        item(),
        item(submitted_at="2025-05-06T01:30:00Z"),
        item(submitted_at="2025-05-06 08:30:00.123456+07:00"),
        item(index1=2, index3=None, index4=0, index7=1, comment="tốt", extra="ignored"),
        item(satisfaction="4"),  # a string: pydantic accepts it, the short way leaves it
        item(satisfaction=True),
        item(satisfaction=4.0),
        item(satisfaction=6),
        item(index1=3),
        item(client_id=UUID.replace("-", "")),
        item(client_id="{" + UUID[:-2] + "}"),
        item(client_id="x" * 36),
        item(submitted_at="2025-05-06T08:30:00"),  # no offset
        item(submitted_at="2025-05-06"),
        item(submitted_at="20250506T083000+0700"),
        item(submitted_at=1746495000),
        item(counter="Q" * 65),
        item(counter=7),
        item(comment=None),
        {"satisfaction": 4, "submitted_at": AT},
        ["not", "an", "object"],
    ],
)
def test_the_short_reading_accepts_nothing_pydantic_refuses(raw: Any) -> None:
    short = canonical_rating(raw)
    try:
        full = services.RatingInput(**RatingIn.model_validate(raw).model_dump())
    except ValidationError:
        full = None
    if short is not None:
        assert full is not None and short == full
        assert short.submitted_at.utcoffset() == full.submitted_at.utcoffset()


@pytest.mark.django_db
def test_burst_flags_of_a_batch_follow_the_rule(site: Site) -> None:
    start = datetime(2025, 5, 6, 1, 0, tzinfo=UTC)
    offsets = [0, 50, 55, 200, 205, 205, 205, 210, 215, 220, 400, 401, 402, 403, 404, 405, 406]
    earlier = [start + timedelta(seconds=s) for s in (180, 185, 190, 395)]
    first = [services.RatingInput(uuid.uuid4(), 4, at, counter="Q1") for at in earlier]
    services.ingest(first, site.centre, Channel.DEVICE, site.device)
    batch = [
        services.RatingInput(uuid.uuid4(), 4, start + timedelta(seconds=s), counter="Q1")
        for s in reversed(offsets)
    ]
    results = services.ingest(batch, site.centre, Channel.DEVICE, site.device)
    moments = [(r.submitted_at, r.client_id) for r in batch]
    assert [r.outcome for r in results] == ["stored"] * len(batch)
    assert [r.burst for r in results] == expected_flags(earlier, moments)
    assert any(r.burst for r in results) and not all(r.burst for r in results)
    flagged = set(Rating.objects.filter(burst=True).values_list("client_id", flat=True))
    assert flagged == {r.client_id for r, f in zip(batch, results, strict=True) if f.burst}
    again = services.ingest(batch + first, site.centre, Channel.DEVICE, site.device)
    assert [r.outcome for r in again] == ["duplicate"] * (len(batch) + len(first))
    assert [r.id for r in again[: len(batch)]] == [r.id for r in results]
    assert Rating.objects.count() == len(batch) + len(first)


def post(client: Client, path: str, token: str, body: Any) -> Any:
    return client.post(
        f"/api/v1/ingest/{path}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_both_ways_answer_alike(site: Site, client: Client, gateway: bool) -> None:
    at = datetime.now(UTC) - timedelta(minutes=3)
    one = item(client_id=str(uuid.uuid4()), submitted_at=at.isoformat())
    first = post(client, "ratings", site.rating_token, one)
    again = post(client, "ratings", site.rating_token, one)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first["Content-Type"] == again["Content-Type"] == "application/json; charset=utf-8"
    assert int(first["Content-Length"]) == len(first.content)
    assert (first.json()["outcome"], again.json()["outcome"]) == ("stored", "duplicate")
    assert again.json()["id"] == first.json()["id"]
    assert post(client, "ratings", site.rating_token, item(satisfaction=0)).status_code == 422
    assert post(client, "ratings", "wrong", item()).json()["error"]["code"] == "unauthorized"
    items = [
        item(client_id=str(uuid.uuid4()), submitted_at=(at + timedelta(seconds=k)).isoformat())
        for k in range(8)
    ]
    body = post(client, "ratings/batch", site.rating_token, {"items": [*items, {}, one]}).json()
    assert (body["stored"], body["duplicate"], body["rejected"]) == (8, 1, 1)
    # The single rating above is within the window: the sixth of the batch is the seventh.
    assert [r["burst"] for r in body["results"][:8]] == [False] * 5 + [True] * 3
    assert body["results"][9]["id"] == first.json()["id"]
    assert body["results"][8]["errors"][0].startswith("client_id: ")
    assert Rating.objects.count() == 9


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the one statement is PostgreSQL's",
)
def test_a_retry_committed_while_the_statement_waits_is_answered_duplicate(site: Site) -> None:
    """Another request holds the key of the same client id, uncommitted: the statement waits on
    it, leaves the key to it once it commits, and answers ``duplicate`` with its rating id."""
    import psycopg
    from django.db import connection

    client_id = uuid.uuid4()
    answers: list[services.RatingResult] = []

    def send() -> None:
        try:
            moment = datetime.now(UTC)
            answers.extend(
                services.ingest(
                    [services.RatingInput(client_id, 4, moment, counter="Q1")],
                    site.centre,  # type: ignore[arg-type]
                    Channel.DEVICE,
                    site.device,  # type: ignore[arg-type]
                )
            )
        finally:
            connection.close()

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        dbname=settings["NAME"],
    ) as other:  # fmt: skip
        with other.transaction():
            other.execute(
                "INSERT INTO ratings_ratingkey (client_id, dossier_code, channel, rating_id)"
                " VALUES (%s, '', 'device', 424242)",
                [client_id],
            )
            thread = threading.Thread(target=send)
            thread.start()
            for _ in range(200):  # until the statement waits on the uncommitted key
                other.execute("SELECT pg_stat_clear_snapshot()")  # kept per transaction
                waiting = other.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                ).fetchone()
                if waiting and waiting[0]:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the statement never waited on the other key")
        thread.join(timeout=30)
    assert [(a.outcome, a.id) for a in answers] == [("duplicate", 424242)]
    assert not Rating.objects.filter(client_id=client_id).exists()
