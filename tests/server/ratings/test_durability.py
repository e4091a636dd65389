"""``kill -9`` of the server in the middle of a bounded load: every rating the server
acknowledged is in the table (an answer is sent only after commit)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from parindex.server.ratings.models import Rating

from .conftest import Site

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a second process must reach the test database (PostgreSQL)",
    ),
]

PORT = int(os.environ.get("PARINDEX_DURABILITY_PORT", "8171"))


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the server did not listen on {port}")


def send(url: str, token: str) -> str | None:
    """One rating; its client id when the server acknowledged it as stored, else ``None``."""
    client_id = str(uuid.uuid4())
    body = {
        "client_id": client_id,
        "satisfaction": 4,
        "submitted_at": timezone.now().isoformat(),
        "counter": "Q1",
    }
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return client_id if response.status == 201 and answer["outcome"] == "stored" else None
    except (
        urllib.error.URLError,
        http.client.HTTPException,
        ConnectionError,
        TimeoutError,
        OSError,
    ):
        # Cut off mid-answer (the kill): the device never saw an acknowledgement.
        return None


def test_acknowledged_ratings_survive_a_kill_9(site: Site, tmp_path: Path) -> None:
    settings = connection.settings_dict
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    url = f"postgresql://{settings['USER']}@{host}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PARINDEX_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from parindex.cli.main import main; sys.exit(main())", "serve",
         "--port", str(PORT), "--workers", "2", "--threads", "4", "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    # The server is a master and its worker processes, in a session of their own: the kill -9
    # goes to all of them at once, as a machine's crash would. No background-task worker:
    # ratings need none.
    try:
        wait_for_port(PORT)
        endpoint = f"http://127.0.0.1:{PORT}/api/v1/ingest/ratings"
        acknowledged: list[str] = []
        killed_after = 0
        with ThreadPoolExecutor(max_workers=8) as pool:
            started = time.monotonic()
            pending = [pool.submit(send, endpoint, site.rating_token) for _ in range(400)]
            for future in pending:
                result = future.result()
                if result:
                    acknowledged.append(result)
                if len(acknowledged) >= 60 and server.poll() is None:
                    os.killpg(server.pid, signal.SIGKILL)  # in the middle of the load
                    killed_after = len(acknowledged)
                assert time.monotonic() - started < 120, "the bounded load took too long"
        server.wait(timeout=10)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    assert killed_after >= 60
    assert len(acknowledged) < 400, "the kill came after the load: nothing was interrupted"
    stored = {str(c) for c in Rating.objects.values_list("client_id", flat=True)}
    missing = [c for c in acknowledged if c not in stored]
    assert missing == [], f"{len(missing)} acknowledged ratings lost"
