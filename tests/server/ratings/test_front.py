"""The ingestion front (``parindex ingest``) beside the site (``parindex serve``), both live:
the front answers counter ratings as the site does, hands the rest to it, stores each retried
rating once, answers only what is committed and refuses bad input at once."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from parindex.server.ratings.models import Dossier, IngestToken, Rating, RatingKey

from .burst_rule import expected_flags
from .conftest import Site
from .test_durability import wait_for_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the front stores ratings with asyncpg (PostgreSQL) beside a live site",
    ),
]

SITE_PORT = int(os.environ.get("PARINDEX_FRONT_SITE_PORT", "8191"))
FRONT_PORT = int(os.environ.get("PARINDEX_FRONT_PORT", "8192"))
SINGLE = "/api/v1/ingest/ratings"
BATCH = "/api/v1/ingest/ratings/batch"
UNREACHABLE = {
    "error": {"code": "unavailable", "message": "the site cannot be reached; send again later"}
}


# ---------------------------------------------------------------------------------------------
# The two servers


def _command(*args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from parindex.cli.main import main; sys.exit(main())",
        *args,
    ]


@dataclass
class Servers:
    """The site and the front in sessions of their own, so a kill reaches a whole server (the
    site is a gunicorn master and its worker) and never the other one."""

    env: dict[str, str]
    logs: Path
    site: subprocess.Popen[bytes] | None = None
    front: subprocess.Popen[bytes] | None = None
    _opened: list[Any] = field(default_factory=list)

    def _start(self, name: str, args: list[str], port: int) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        self._opened.append(log)
        process = subprocess.Popen(
            _command(*args), env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        try:
            wait_for_port(port)
        except AssertionError:
            tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
            _kill(process)
            raise AssertionError(f"{name} did not start:\n{tail}") from None
        return process

    def ensure(self, site: bool = True) -> None:
        """Both servers up (or the front alone): a test may have killed one of them."""
        if site and (self.site is None or self.site.poll() is not None):
            self.site = self._start(
                "site",
                ["serve", "--port", str(SITE_PORT), "--workers", "1", "--threads", "4",
                 "--no-worker"],
                SITE_PORT,
            )  # fmt: skip
        if self.front is None or self.front.poll() is not None:
            self.front = self._start(
                "front",
                ["ingest", "--port", str(FRONT_PORT), "--upstream",
                 f"http://127.0.0.1:{SITE_PORT}", "--connections", "2"],
                FRONT_PORT,
            )  # fmt: skip

    def stop(self) -> None:
        for process in (self.front, self.site):
            if process is not None:
                _kill(process)
        for log in self._opened:
            log.close()


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def servers(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    # Started once for the module (a start costs seconds on two cores); the test database is
    # flushed between tests and both servers read tokens and devices at each request.
    settings = connection.settings_dict
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    url = f"postgresql://{settings['USER']}@{host}/{settings['NAME']}"
    data = tmp_path_factory.mktemp("front")
    env = {**os.environ, "DATABASE_URL": url, "PARINDEX_DATA_DIR": str(data)}
    running = Servers(env, data)
    try:
        yield running
    finally:
        running.stop()


def ratings_tables_lockable(seconds: float) -> bool:
    """Whether the ratings tables can be locked exclusively (as the flush between tests, a
    migration or a TRUNCATE does) within ``seconds``."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{int(seconds * 1000)}ms'")
            cursor.execute("LOCK TABLE ratings_ratingkey, ratings_rating IN ACCESS EXCLUSIVE MODE")
    except OperationalError:
        return False
    return True


def _released(servers: Servers) -> None:
    # A committer connection freshly prepared keeps the ratings tables locked until it first
    # stores (the defect test_a_fresh_front_holds_no_lock_on_the_ratings_tables shows): the
    # flush after the test would wait for ever. A restart of the front (next test) ends it.
    if servers.front is not None and not ratings_tables_lockable(2):
        _kill(servers.front)


@pytest.fixture
def live(site: Site, servers: Servers) -> Iterator[Servers]:
    servers.ensure()
    yield servers
    _released(servers)


@pytest.fixture
def front_only(site: Site, servers: Servers) -> Iterator[Servers]:
    """The front up, the site as an earlier test left it (a restart costs seconds)."""
    servers.ensure(site=False)
    yield servers
    _released(servers)


# ---------------------------------------------------------------------------------------------
# A plain HTTP client


@dataclass
class Reply:
    status: int
    content_type: str
    raw: bytes

    def json(self) -> Any:
        return json.loads(self.raw)


def call(
    port: int,
    path: str,
    body: Any = None,
    token: str | None = None,
    method: str = "POST",
    timeout: float = 30,
) -> Reply:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        client.request(method, path, body=data, headers=headers)
        response = client.getresponse()
        return Reply(response.status, response.getheader("Content-Type") or "", response.read())
    finally:
        client.close()


def rating(at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "client_id": str(uuid.uuid4()),
        "satisfaction": 4,
        "submitted_at": at.isoformat(),
        "counter": "Q1",
        "index3": 2,
        "index7": 1,
        **fields,
    }


class Ids:
    """Rating ids replaced by placeholders in order of appearance, so two answers given by
    different servers compare equal when they name the same rating at the same places."""

    def __init__(self) -> None:
        self.seen: dict[int, str] = {}

    def mask(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (self._name(v) if k == "id" and isinstance(v, int) else self.mask(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.mask(v) for v in value]
        return value

    def _name(self, id_: int) -> str:
        return self.seen.setdefault(id_, f"rating-{len(self.seen)}")


# ---------------------------------------------------------------------------------------------
# 1. The same answers as the site


@dataclass
class Run:
    answers: list[tuple[int, str, Any]]
    stored: list[str]
    """Client ids the server answered ``stored``."""
    refused: list[str]
    """Client ids sent that must not be stored."""


def scenario(port: int, token: str, base: datetime) -> Run:
    """The same sequence of requests, with fresh client ids, against one server. ``base`` keeps
    each server's ratings more than a burst window apart from the other's (one device)."""
    ids = Ids()
    answers: list[tuple[int, str, Any]] = []
    stored: list[str] = []
    refused: list[str] = []

    def send(path: str, body: Any) -> Any:
        reply = call(port, path, body, token)
        masked = ids.mask(reply.json())
        answers.append((reply.status, reply.content_type, masked))
        return reply.json()

    first = rating(base)
    answer = send(SINGLE, first)
    if answer.get("outcome") == "stored":
        stored.append(first["client_id"])
    send(SINGLE, first)  # a retry: the id of the first
    future = rating(datetime.now(UTC) + timedelta(hours=1))
    refused.append(future["client_id"])
    send(SINGLE, future)
    twice = rating(base + timedelta(seconds=30))
    no_counter = rating(base + timedelta(seconds=40))
    del no_counter["counter"]
    refused.append(no_counter["client_id"])
    items = [
        rating(base + timedelta(seconds=10)),
        twice,
        rating(base + timedelta(seconds=20)),
        no_counter,
        first,  # stored by the request above
        twice,
        rating(base + timedelta(seconds=50)),
    ]
    batch = send(BATCH, {"items": items})
    stored += [
        items[r["index"]]["client_id"] for r in batch.get("results", []) if r["outcome"] == "stored"
    ]
    send(BATCH, {"items": []})
    too_many = [rating(base + timedelta(seconds=k % 60)) for k in range(501)]
    refused += [r["client_id"] for r in too_many]
    send(BATCH, {"items": too_many})
    return Run(answers, stored, refused)


def test_the_front_answers_counter_ratings_as_the_site_does(live: Servers, site: Site) -> None:
    now = timezone.now()
    by_site = scenario(SITE_PORT, site.rating_token, now - timedelta(hours=2))
    by_front = scenario(FRONT_PORT, site.rating_token, now - timedelta(hours=1))
    # The expected statuses, so that two servers broken alike do not pass.
    assert [a[0] for a in by_site.answers] == [201, 200, 422, 200, 200, 422]
    assert by_site.answers[2][2]["error"] == {
        "code": "rejected",
        "message": "submitted_at is in the future",
    }
    outcomes = [r["outcome"] for r in by_site.answers[3][2]["results"]]
    assert outcomes == [
        "stored",
        "stored",
        "stored",
        "rejected",
        "duplicate",
        "duplicate",
        "stored",
    ]
    assert by_site.answers[3][2]["results"][3]["errors"] == [
        "a rating names a dossier code or a counter"
    ]
    for k, (expected, got) in enumerate(zip(by_site.answers, by_front.answers, strict=True)):
        assert got == expected, f"answer {k}"
    # The rows the front stored: one rating and one key a client id, the device's own.
    assert len(by_front.stored) == 5
    ratings = {str(r.client_id): r for r in Rating.objects.filter(client_id__in=by_front.stored)}
    keys = {str(k.client_id): k for k in RatingKey.objects.filter(client_id__in=by_front.stored)}
    assert set(ratings) == set(keys) == set(by_front.stored)
    for client_id, row in ratings.items():
        key = keys[client_id]
        assert (row.unit_id, row.device_id, row.channel, row.dossier_code) == (
            site.centre.pk,  # type: ignore[attr-defined]
            site.device.pk,  # type: ignore[attr-defined]
            "device",
            "",
        )
        assert (key.rating_id, key.device_id, key.channel) == (
            row.pk,
            site.device.pk,  # type: ignore[attr-defined]
            "device",
        )
        assert key.submitted_at == row.submitted_at
    assert not Rating.objects.filter(client_id__in=by_front.refused).exists()
    assert not RatingKey.objects.filter(client_id__in=by_front.refused).exists()
    assert Rating.objects.count() == len(by_site.stored) + len(by_front.stored) == 10


# ---------------------------------------------------------------------------------------------
# 2. What the front hands to the site


def test_what_the_front_does_not_serve_is_the_site_s_answer(live: Servers, site: Site) -> None:
    at = timezone.now() - timedelta(minutes=20)

    def both(path: str, body: Any, token: str | None, method: str = "POST") -> None:
        """The same request (fresh client ids) to each: the same status and body."""
        fresh = (lambda: {**body, "client_id": str(uuid.uuid4())}) if body else (lambda: None)
        expected = call(SITE_PORT, path, fresh(), token, method)
        got = call(FRONT_PORT, path, fresh(), token, method)
        assert got.status == expected.status, (path, token, got.raw)
        assert got.content_type == expected.content_type
        if expected.content_type.startswith("application/json"):
            assert Ids().mask(got.json()) == Ids().mask(expected.json())
        else:
            assert got.raw == expected.raw

    refused_before = Rating.objects.count()
    both(SINGLE, rating(at), None)
    both(SINGLE, rating(at), "nope")
    both(BATCH, {"items": [rating(at)]}, "nope")
    assert Rating.objects.count() == refused_before == 0
    assert call(FRONT_PORT, SINGLE, rating(at)).json()["error"]["code"] == "unauthorized"
    both(SINGLE, None, site.rating_token, method="GET")
    assert call(FRONT_PORT, SINGLE, None, site.rating_token, "GET").status >= 400
    # msgspec is strict where pydantic is lax: the site decides.
    both(SINGLE, rating(at, satisfaction="4"), site.rating_token)
    both(SINGLE, rating(at, satisfaction=9), site.rating_token)

    # A rating naming a dossier: only the site stores it, with the dossier's officer.
    Dossier.objects.create(
        code="HS-F1",
        procedure="1.001",
        unit=site.centre,  # type: ignore[misc]  # Site's fields are typed object
        received=at,
        appointment=at,
        officer="Lê Văn C",
    )
    body = rating(at, dossier_code="HS-F1")
    reply = call(FRONT_PORT, SINGLE, body, site.rating_token)
    assert reply.status == 201, reply.raw
    row = Rating.objects.get(client_id=body["client_id"])
    assert (row.dossier_code, row.officer, row.id) == ("HS-F1", "Lê Văn C", reply.json()["id"])
    # The site's own refusal of a second rating of that dossier comes back through the front.
    again = call(FRONT_PORT, SINGLE, rating(at, dossier_code="HS-F1"), site.rating_token)
    assert (again.status, again.json()) == (
        422,
        {
            "error": {
                "code": "rejected",
                "message": "dossier 'HS-F1' is already rated on this channel",
            }
        },
    )


# ---------------------------------------------------------------------------------------------
# 3. Concurrent retries


def test_concurrent_retries_through_the_front_store_each_rating_once(
    live: Servers, site: Site
) -> None:
    moment = timezone.now() - timedelta(minutes=5)
    items = [rating(moment + timedelta(seconds=k), satisfaction=1 + k % 5) for k in range(50)]
    single = rating(moment)
    start = threading.Barrier(16)

    def post(path: str, body: Any) -> Reply:
        start.wait(timeout=30)  # all sixteen at once: the retries meet in the same statements
        return call(FRONT_PORT, path, body, site.rating_token)

    with ThreadPoolExecutor(max_workers=16) as pool:
        batches = [pool.submit(post, BATCH, {"items": items}) for _ in range(8)]
        singles = [pool.submit(post, SINGLE, single) for _ in range(8)]
        batch_replies = [f.result() for f in batches]
        single_replies = [f.result() for f in singles]

    every = [*items, single]
    client_ids = [uuid.UUID(r["client_id"]) for r in every]
    assert Rating.objects.filter(client_id__in=client_ids).count() == 51
    assert Rating.objects.count() == 51
    assert RatingKey.objects.count() == 51
    stored_ids = dict(Rating.objects.values_list("client_id", "id"))
    answered: dict[uuid.UUID, list[tuple[str, int]]] = {c: [] for c in client_ids}
    for reply in batch_replies:
        assert reply.status == 200, reply.raw
        for result in reply.json()["results"]:
            client_id = uuid.UUID(items[result["index"]]["client_id"])
            answered[client_id].append((result["outcome"], result["id"]))
    for reply in single_replies:
        assert reply.status in (200, 201), reply.raw
        answer = reply.json()
        assert reply.status == (201 if answer["outcome"] == "stored" else 200)
        answered[uuid.UUID(single["client_id"])].append((answer["outcome"], answer["id"]))
    for client_id, answers in answered.items():
        assert len(answers) == 8
        assert {outcome for outcome, _ in answers} <= {"stored", "duplicate"}
        assert {id_ for _, id_ in answers} == {stored_ids[client_id]}, client_id
        # Acknowledged as new exactly once across all the retries.
        assert sum(outcome == "stored" for outcome, _ in answers) == 1, client_id


# ---------------------------------------------------------------------------------------------
# 5. Bad input refused at once


def raw_exchange(data: bytes, seconds: float = 2.0) -> tuple[bytes, bool, float]:
    """Send ``data``, read until the front closes: (what it answered, whether it closed,
    seconds taken)."""
    started = time.monotonic()
    received = b""
    closed = False
    with socket.create_connection(("127.0.0.1", FRONT_PORT), timeout=seconds) as sock:
        sock.sendall(data)
        try:
            while chunk := sock.recv(65536):
                received += chunk
            closed = True
        except TimeoutError:
            pass
        except ConnectionResetError:
            closed = True
    return received, closed, time.monotonic() - started


def answer_of(received: bytes) -> tuple[int, Any]:
    head, _, body = received.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body) if body else None


def test_bad_input_is_refused_at_once(live: Servers, site: Site) -> None:
    body = json.dumps(rating(timezone.now())).encode()
    start = (
        f"POST {SINGLE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {site.rating_token}\r\n"
    ).encode()

    # A huge body announced: refused from its headers, without waiting for the body.
    received, closed, seconds = raw_exchange(start + b"Content-Length: 100000000\r\n\r\n")
    assert received, "no answer within 2 s"
    status, answer = answer_of(received)
    assert status == 413
    assert answer["error"]["code"] == "too_large"
    assert closed and seconds < 2

    received, closed, _ = raw_exchange(b"NOT HTTP\r\n\r\n")
    assert received and answer_of(received)[0] == 400
    assert closed

    padding = b"X-Padding: " + b"a" * 70_000 + b"\r\n"
    request = start + padding + b"Content-Length: %d\r\n\r\n" % len(body) + body
    received, closed, _ = raw_exchange(request)
    assert received and answer_of(received)[0] == 400
    assert closed

    # The same rating, well formed, is stored: the refusals above were the input's fault.
    assert Rating.objects.count() == 0
    good = start + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
    received, _, _ = raw_exchange(good)
    assert answer_of(received)[0] == 201
    assert Rating.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# 6. Bursts


def test_a_burst_through_the_front_is_flagged_by_the_rule(live: Servers, site: Site) -> None:
    moment = timezone.now() - timedelta(minutes=10)

    def batch_of_ten(at: datetime, stored: list[datetime]) -> tuple[list[bool], set[uuid.UUID]]:
        """Ten ratings of the same second: (the flags answered, the flagged client ids),
        checked against the rule."""
        items = [rating(at) for _ in range(10)]
        reply = call(FRONT_PORT, BATCH, {"items": items}, site.rating_token)
        assert reply.status == 200, reply.raw
        results = reply.json()["results"]
        assert [r["outcome"] for r in results] == ["stored"] * 10
        batch = [(at, uuid.UUID(r["client_id"])) for r in items]
        flags = expected_flags(stored, batch)
        assert [r["burst"] for r in results] == flags
        return flags, {c for (_, c), f in zip(batch, flags, strict=True) if f}

    # A quiet device: the first six (by client id) are counted, the other four flagged.
    flags, flagged = batch_of_ten(moment, [])
    assert flags.count(True) == 4  # the rule itself, lest it be read wrong here
    # Five minutes on, two ratings stored just before and after count towards the next batch.
    later = moment + timedelta(minutes=5)
    earlier = [later - timedelta(seconds=30), later + timedelta(seconds=45)]
    for at in earlier:
        reply = call(FRONT_PORT, SINGLE, rating(at), site.rating_token)
        assert (reply.status, reply.json()["burst"]) == (201, False), reply.raw
    more_flags, more_flagged = batch_of_ten(later, earlier)
    assert more_flags.count(True) == 6
    in_table = set(Rating.objects.filter(burst=True).values_list("client_id", flat=True))
    assert in_table == flagged | more_flagged
    assert Rating.objects.count() == 22


# ---------------------------------------------------------------------------------------------
# 7. Revoked tokens


def test_a_revoked_token_stops_working_within_the_cache_time(live: Servers, site: Site) -> None:
    at = timezone.now() - timedelta(hours=2)
    first = call(FRONT_PORT, SINGLE, rating(at), site.rating_token)
    assert first.status == 201, first.raw  # the token is now kept by the front
    IngestToken.objects.filter(purpose=IngestToken.Purpose.RATINGS).update(
        revoked_at=timezone.now()
    )
    revoked = time.monotonic()
    while True:
        # Ratings two minutes apart (never in the future within 6 s of retries): no bursts.
        at += timedelta(minutes=2)
        reply = call(FRONT_PORT, SINGLE, rating(at), site.rating_token)
        if reply.status != 201:
            break
        assert time.monotonic() - revoked < 6, "the revoked token is still accepted"
        time.sleep(0.25)
    assert reply.status == 401, reply.raw
    assert reply.json()["error"]["code"] == "unauthorized"
    assert time.monotonic() - revoked < 6
    assert call(SITE_PORT, SINGLE, rating(at), site.rating_token).json() == reply.json()


# ---------------------------------------------------------------------------------------------
# 8. Defects found in review, mended: each test failed before its mending


def test_a_forwarded_request_expecting_100_continue_gets_the_site_s_answer(
    live: Servers, site: Site
) -> None:
    # Devices' HTTP stacks (.NET's, older curl's for bodies over 1 KB) send Expect: 100-continue;
    # the site's gunicorn answers it with an interim 100 before its final answer.
    body = json.dumps(rating(timezone.now())).encode()
    request = (
        f"POST {SINGLE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer nope\r\nExpect: 100-continue\r\nConnection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    received, _, _ = raw_exchange(request)
    # After an optional interim 100, the site's own refusal.
    final = received.split(b"\r\n\r\n", 1)[1] if received.startswith(b"HTTP/1.1 100") else received
    assert final, f"no final answer after the interim one: {received!r}"
    status, answer = answer_of(final)
    assert (status, answer) == (401, call(SITE_PORT, SINGLE, rating(timezone.now()), "nope").json())


def test_a_rating_postgresql_cannot_store_is_refused_not_retried(live: Servers, site: Site) -> None:
    for text in ("a\u0000b", "\ud800"):
        reply = call(FRONT_PORT, SINGLE, rating(timezone.now(), comment=text), site.rating_token)
        # A refusal the device must not retry (the site's 422, worded), not "send again later".
        assert reply.status == 422, reply.raw
        assert b"comment" in reply.raw  # the site names the field
        batch = call(
            FRONT_PORT, BATCH, {"items": [rating(timezone.now(), counter=text)]}, site.rating_token
        )
        assert batch.status == 200, batch.raw
        assert batch.json()["results"][0]["outcome"] == "rejected"
    assert Rating.objects.count() == 0


def test_the_front_holds_no_lock_on_the_ratings_tables(live: Servers, site: Site) -> None:
    # A statement prepared and left waiting kept its tables locked (no Sync sent): a migration,
    # a new month's partition or a TRUNCATE would have queued behind it, and every reader of
    # the ratings behind them. After a rating stored and one refused, none may be held.
    stored = call(FRONT_PORT, SINGLE, rating(timezone.now()), site.rating_token)
    assert stored.status == 201, stored.raw
    refused = call(FRONT_PORT, SINGLE, rating(timezone.now(), comment="\u0000"), site.rating_token)
    assert refused.status == 422, refused.raw
    time.sleep(1.0)
    assert ratings_tables_lockable(2)


# ---------------------------------------------------------------------------------------------
# 2b. The site stopped


def test_with_the_site_down_the_front_still_stores_counter_ratings(
    live: Servers, site: Site
) -> None:
    # Late in the module: the site is restarted only if a later test needs it.
    at = timezone.now() - timedelta(minutes=20)
    assert live.site is not None
    _kill(live.site)
    # What the site answers (no token; an item naming a dossier) becomes a 502.
    no_token = call(FRONT_PORT, SINGLE, rating(at))
    assert (no_token.status, no_token.json()) == (502, UNREACHABLE)
    down = call(FRONT_PORT, BATCH, {"items": [rating(at, dossier_code="HS-F1")]}, site.rating_token)
    assert (down.status, down.json()) == (502, UNREACHABLE)
    assert Rating.objects.count() == 0
    counter = rating(at + timedelta(minutes=5))
    stored = call(FRONT_PORT, SINGLE, counter, site.rating_token)
    assert (stored.status, stored.json()["outcome"]) == (201, "stored"), stored.raw
    assert Rating.objects.filter(client_id=counter["client_id"], id=stored.json()["id"]).exists()


# ---------------------------------------------------------------------------------------------
# 4. kill -9 of the front


def test_ratings_the_front_acknowledged_survive_a_kill_9(front_only: Servers, site: Site) -> None:
    assert front_only.front is not None
    front = front_only.front
    acknowledged: list[str] = []
    other: list[int] = []
    lock = threading.Lock()
    total = 600
    started = time.monotonic()

    def send(_: int) -> None:
        if time.monotonic() - started > 30:
            return  # bounded: a front that stopped answering fails below instead of hanging
        body = rating(timezone.now())
        try:
            reply = call(FRONT_PORT, SINGLE, body, site.rating_token, timeout=5)
        except (OSError, http.client.HTTPException):
            return  # cut off (the kill): the device never saw an acknowledgement
        if reply.status != 201:
            other.append(reply.status)
        if reply.status == 201 and reply.json()["outcome"] == "stored":
            with lock:
                acknowledged.append(body["client_id"])
                # The kill from the sender that saw the 60th acknowledgement, while the other
                # senders' requests are in flight (the front answers too fast to wait for).
                if len(acknowledged) == 60:
                    os.killpg(front.pid, signal.SIGKILL)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(send, range(total)))
    assert len(acknowledged) >= 60, f"{len(acknowledged)} acknowledged, other answers {other}"
    front.wait(timeout=10)
    assert front.returncode == -signal.SIGKILL
    assert other == []
    assert len(acknowledged) < total, "the kill came after the load: nothing was interrupted"
    stored = {str(c) for c in Rating.objects.values_list("client_id", flat=True)}
    missing = [c for c in acknowledged if c not in stored]
    assert missing == [], f"{len(missing)} acknowledged ratings lost"
