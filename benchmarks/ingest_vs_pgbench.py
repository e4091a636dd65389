"""HTTP rating ingestion into PostgreSQL on loopback against pgbench's raw single-row inserts
into the same server at the same concurrency (issue 16, 9a).

Targets: single-rating requests ≥ 0.5× pgbench TPS with p99 < 50 ms at 16 clients; batched device
syncs (100 ratings a request) ≥ 3× pgbench TPS in ratings per second.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/parindex_bench \\
        uv run python benchmarks/ingest_vs_pgbench.py --seconds 10 --port 8172

The load is bounded (``--seconds`` and ``--max-requests`` per client) and goes to 127.0.0.1 only.
It starts its own site (``parindex serve``, ``--workers`` processes of clients ÷ workers threads)
and, by default, the ingestion front before it (``parindex ingest`` on ``--port`` + 1, which is
where the ratings go; ``--through site`` sends them to the site itself), and stops them at the
end. Each client is one device on a keep-alive connection, a request after the answer to the
last. For each HTTP phase it also reports the CPU a request took in the servers' processes, in
the PostgreSQL backends serving them and in this client, and how many of the machine's cores
these three got: on a shared machine the rest went to other work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import uvloop


def setup_django(url: str) -> str:
    """Migrate, create a unit, a counter device and its token; returns the token's secret."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.server.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from parindex.core.roles import Role
    from parindex.server.accounts.models import Unit, User
    from parindex.server.accounts.services import grant_role
    from parindex.server.ratings.models import IngestToken

    call_command("migrate", verbosity=0)
    unit, _ = Unit.objects.get_or_create(
        ref="bench:centre", defaults={"kind": "one_stop_centre", "name_vi": "Bench"}
    )
    device, _ = User.objects.get_or_create(username="bench-device")
    grant_role(device, Role.COUNTER_DEVICE, unit)
    _, secret = IngestToken.issue(device, unit, IngestToken.Purpose.RATINGS)
    return secret


class Client(asyncio.Protocol):
    """One device: a request, its answer, the next (keep-alive), until the deadline or limit.

    A protocol on uvloop with the requests' bytes built by formatting, so the load generator
    costs as little CPU as it can on the machine it shares with the server: its share is
    reported with the server's and PostgreSQL's."""

    def __init__(
        self, head: bytes, batch: int, deadline: float, limit: int, latencies: list[float]
    ) -> None:
        self.head, self.batch, self.deadline, self.limit = head, batch, deadline, limit
        self.latencies = latencies
        # Client ids: a random prefix for the run and a counter (unique, and cheap to make).
        self.prefix = str(uuid.uuid4())[:24]
        self.counter = 0
        self.sent = 0
        self.buffer = b""
        self.done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no asyncio.Transport
        self.send()

    def body(self) -> bytes:
        now = datetime.now(UTC).isoformat()
        items = []
        for _ in range(self.batch):
            self.counter += 1
            items.append(
                f'{{"client_id":"{self.prefix}{self.counter:012x}","satisfaction":4,'
                f'"submitted_at":"{now}","counter":"Q1"}}'
            )
        return (items[0] if self.batch == 1 else '{"items":[' + ",".join(items) + "]}").encode()

    def send(self) -> None:
        assert self.transport is not None
        if time.perf_counter() > self.deadline or self.sent >= self.limit * self.batch:
            self.transport.close()
            self.done.set_result(self.sent)
            return
        body = self.body()
        self.started = time.perf_counter()
        self.transport.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = self.buffer[:end].lower()
        at = head.find(b"content-length:")
        stop = head.find(b"\r\n", at)
        length = int(head[at + 15 : stop if stop > 0 else len(head)]) if at >= 0 else 0
        if len(self.buffer) < end + 4 + length:
            return
        status = int(self.buffer[9:12])
        self.buffer = self.buffer[end + 4 + length :]
        self.latencies.append(time.perf_counter() - self.started)
        if status not in (200, 201):
            self.done.set_exception(RuntimeError(f"HTTP {status}"))
            assert self.transport is not None
            self.transport.close()
            return
        self.sent += self.batch
        self.send()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_exception(RuntimeError(f"connection lost: {exc}"))


async def load(
    port: int, token: str, clients: int, batch: int, seconds: float, limit: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    path = "/api/v1/ingest/ratings" if batch == 1 else "/api/v1/ingest/ratings/batch"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    deadline = started + seconds
    devices = []
    for _ in range(clients):
        _, device = await loop.create_connection(
            lambda: Client(head, batch, deadline, limit, latencies), "127.0.0.1", port
        )
        devices.append(device)
    counts = await asyncio.gather(*(d.done for d in devices))
    return sum(counts) / (time.perf_counter() - started), latencies


def pgbench(url: str, clients: int, seconds: int) -> float:
    match = re.match(
        r"postgresql://(?P<user>[^@]+)@(?P<host>[^:/]+):?(?P<port>\d+)?/(?P<db>.+)", url
    )
    assert match, url
    conn = ["-h", match["host"], "-p", match["port"] or "5432", "-U", match["user"]]
    subprocess.run(
        ["psql", *conn, "-d", match["db"], "-qc",
         "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial primary key, client_id uuid unique, "
         "satisfaction int, at timestamptz)"],
        check=True,
    )  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(
            "INSERT INTO bench_insert (client_id, satisfaction, at) VALUES (gen_random_uuid(), 4, now());\n"
        )
    out = subprocess.run(
        ["pgbench", *conn, "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", script.name, match["db"]],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    Path(script.name).unlink()
    tps = re.search(r"tps = ([\d.]+)", out)
    assert tps, out
    return float(tps.group(1))


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [pid, *(p for child in children.split() for p in process_tree(int(child)))]


def backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving this database (the server's connections)."""
    query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    out = subprocess.run(["psql", url, "-Atc", query], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


class CpuMeter:
    """Where the CPU of a phase went: the server's processes, its PostgreSQL backends and this
    client (the machine's other work is what remains of its cores)."""

    def __init__(self, servers: list[int], url: str) -> None:
        self.servers, self.url = servers, url

    def snapshot(self) -> tuple[dict[int, float], dict[int, float], float, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return (
            {p: cpu_seconds(p) for s in self.servers for p in process_tree(s)},
            {p: cpu_seconds(p) for p in backends(self.url)},
            usage.ru_utime + usage.ru_stime,
            time.perf_counter(),
        )

    def since(self, before: tuple[dict[int, float], dict[int, float], float, float]) -> Cpu:
        server, postgres, client, wall = self.snapshot()
        return Cpu(
            sum(v - before[0].get(p, 0.0) for p, v in server.items()),
            sum(v - before[1].get(p, 0.0) for p, v in postgres.items()),
            client - before[2],
            wall - before[3],
        )


@dataclass(frozen=True)
class Cpu:
    server: float
    postgres: float
    client: float
    seconds: float

    def describe(self, requests: int) -> str:
        cores = (self.server + self.postgres + self.client) / self.seconds
        each = ", ".join(
            f"{name} {value / requests * 1000:.2f} ms"
            for name, value in (
                ("server", self.server),
                ("PostgreSQL", self.postgres),
                ("client", self.client),
            )
        )
        return f"CPU a request: {each}; these three used {cores:.2f} of {os.cpu_count()} cores"


def wait_for_port(port: int) -> None:
    for _ in range(150):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"the server did not listen on {port}")


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8172)
    parser.add_argument("--max-requests", type=int, default=20_000, help="per client")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes")
    parser.add_argument("--threads", type=int, default=0, help="per process (clients ÷ workers)")
    parser.add_argument(
        "--through",
        choices=("front", "site"),
        default="front",
        help="send the ratings to the ingestion front (parindex ingest) or to the site itself",
    )
    parser.add_argument(
        "--connections", type=int, default=2, help="the front's statements at a time"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/parindex_bench")
    token = setup_django(url)
    threads = args.threads or -(-args.clients // args.workers)
    python = [
        sys.executable,
        "-c",
        "import sys; from parindex.cli.main import main; sys.exit(main())",
    ]
    env = {**os.environ, "DATABASE_URL": url}
    site = subprocess.Popen(
        [*python, "serve", "--port", str(args.port), "--workers", str(args.workers),
         "--threads", str(threads), "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    servers = [site]
    port = args.port
    if args.through == "front":
        port = args.port + 1
        servers.append(subprocess.Popen(
            [*python, "ingest", "--port", str(port), "--upstream", f"http://127.0.0.1:{args.port}",
             "--connections", str(args.connections)],
            env=env, stdout=subprocess.DEVNULL,
        ))  # fmt: skip
    load_before = os.getloadavg()
    try:
        for listening in {args.port, port}:
            wait_for_port(listening)
        reference = pgbench(url, args.clients, int(args.seconds))
        meter = CpuMeter([server.pid for server in servers], url)
        before = meter.snapshot()
        single, single_lat = uvloop.run(
            load(port, token, args.clients, 1, args.seconds, args.max_requests)
        )
        single_cpu = meter.since(before)
        before = meter.snapshot()
        batched, batch_lat = uvloop.run(
            load(port, token, args.clients, 100, args.seconds, args.max_requests)
        )
        batch_cpu = meter.since(before)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
    load_after = os.getloadavg()
    print(
        f"machine: {platform.machine()} python {platform.python_version()}, {os.cpu_count()} cores; "
        f"clients {args.clients}; "
        + (
            f"ingestion front (statements at a time: {args.connections}) before the site"
            if args.through == "front"
            else f"the site: gunicorn {args.workers} workers × {threads} threads"
        )
    )
    print(
        "load average (1/5/15 min) before: {:.2f} {:.2f} {:.2f}  after: {:.2f} {:.2f} {:.2f}".format(
            *load_before, *load_after
        )
    )
    print(f"pgbench single-row INSERT:          {reference:10.1f} tps")
    print(f"HTTP single rating:                 {single:10.1f} ratings/s  p99 {p99(single_lat) * 1000:.1f} ms"
          f"  ratio {single / reference:.2f}× (target ≥ 0.5×, p99 < 50 ms)")  # fmt: skip
    print(f"  {single_cpu.describe(len(single_lat))}")
    print(
        f"HTTP batches of 100:                {batched:10.1f} ratings/s  ratio {batched / reference:.2f}× (target ≥ 3×)"
    )
    print(f"  {batch_cpu.describe(len(batch_lat))}")


if __name__ == "__main__":
    main()
