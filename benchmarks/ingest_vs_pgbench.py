"""HTTP rating ingestion into PostgreSQL on loopback against pgbench's raw single-row inserts
into the same server at the same concurrency (issue 16, 9a).

Targets: single-rating requests ≥ 0.5× pgbench TPS with p99 < 50 ms at 16 clients; batched device
syncs (100 ratings a request) ≥ 3× pgbench TPS in ratings per second.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/parindex_bench \\
        uv run python benchmarks/ingest_vs_pgbench.py --seconds 10 --port 8172

The load is bounded (``--seconds`` and ``--max-requests`` per client) and goes to 127.0.0.1 only.
It starts its own ``parindex serve`` (gunicorn, ``--workers`` processes of clients ÷ workers
threads) and stops it at the end. For each HTTP phase it also reports the CPU a request took in
the server's processes, in the PostgreSQL backends serving it and in this client, and how many of
the machine's cores these three got: on a shared machine the rest went to other work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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


async def client(
    port: int, token: str, batch: int, deadline: float, limit: int, latencies: list[float]
) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    path = "/api/v1/ingest/ratings" if batch == 1 else "/api/v1/ingest/ratings/batch"
    sent = 0
    try:
        for _ in range(limit):
            if time.perf_counter() > deadline:
                break
            now = datetime.now(UTC).isoformat()
            items = [
                {
                    "client_id": str(uuid.uuid4()),
                    "satisfaction": 4,
                    "submitted_at": now,
                    "counter": "Q1",
                }
                for _ in range(batch)
            ]
            body = json.dumps(items[0] if batch == 1 else {"items": items}).encode()
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            started = time.perf_counter()
            writer.write(head.encode() + body)
            await writer.drain()
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status not in (200, 201):
                raise RuntimeError(f"HTTP {status}")
            sent += batch
    finally:
        writer.close()
    return sent


async def load(
    port: int, token: str, clients: int, batch: int, seconds: float, limit: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds
    counts = await asyncio.gather(
        *(client(port, token, batch, deadline, limit, latencies) for _ in range(clients))
    )
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

    def __init__(self, server: int, url: str) -> None:
        self.server, self.url = server, url

    def snapshot(self) -> tuple[dict[int, float], dict[int, float], float, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return (
            {p: cpu_seconds(p) for p in process_tree(self.server)},
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
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/parindex_bench")
    token = setup_django(url)
    threads = args.threads or -(-args.clients // args.workers)
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from parindex.cli.main import main; sys.exit(main())", "serve",
         "--port", str(args.port), "--workers", str(args.workers), "--threads", str(threads), "--no-worker"],
        env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    load_before = os.getloadavg()
    try:
        wait_for_port(args.port)
        reference = pgbench(url, args.clients, int(args.seconds))
        meter = CpuMeter(server.pid, url)
        before = meter.snapshot()
        single, single_lat = asyncio.run(
            load(args.port, token, args.clients, 1, args.seconds, args.max_requests)
        )
        single_cpu = meter.since(before)
        before = meter.snapshot()
        batched, batch_lat = asyncio.run(
            load(args.port, token, args.clients, 100, args.seconds, args.max_requests)
        )
        batch_cpu = meter.since(before)
    finally:
        server.terminate()
        server.wait(timeout=20)
    load_after = os.getloadavg()
    print(
        f"machine: {platform.machine()} python {platform.python_version()}, {os.cpu_count()} cores; "
        f"clients {args.clients}; server: gunicorn {args.workers} workers × {threads} threads"
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
