"""The background worker that ``parindex serve`` starts beside the web server dies with it, even
when the server is killed with ``kill -9`` (no ``finally`` runs then to stop it): an orphaned
worker would go on holding the database and taking tasks for a site that is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.conftest import free_port

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the child learns of its parent's death on Linux"
)


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (command) state ppid …": the command may hold spaces, so split after it.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for whoever adopted it to reap it has stopped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_worker_stops_when_the_server_is_killed_with_sigkill(
    parindex_cmd: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    port = int(os.environ.get("PARINDEX_WORKER_TEST_PORT", "0")) or free_port()
    server = subprocess.Popen(
        [*parindex_cmd, "serve", "--migrate", "--port", str(port)],
        env=cli_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    workers: list[int] = []
    try:
        assert server.stdout is not None
        for line in server.stdout:  # the worker is started before the server announces itself
            if "serving on" in line:
                break
        workers = children(server.pid)
        assert len(workers) == 1, "serve starts one worker child"
        worker = workers[0]
        time.sleep(1)  # the worker is up and polling its queue
        assert alive(worker)

        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 10
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(worker), "the worker outlived the server's kill -9"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        for pid in workers:  # left behind only if the test failed
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
