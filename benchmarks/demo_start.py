"""Demo start-up: seconds from ``parindex demo`` to its first page (the login page answering
200), for this checkout and for a reference revision (``git archive`` of its ``src/``) run the
same way in the same session, one after the other.

Run: uv run python benchmarks/demo_start.py [--reference main]   (target: < 60 s, quiet 2 cores)
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def source_of(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", revision, "src"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def first_page_seconds(src: Path, data: Path) -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARINDEX_", "DJANGO_"))}
    env["PYTHONPATH"] = str(src)
    command = [
        sys.executable,
        "-c",
        "import sys; from parindex.cli.main import main; sys.exit(main())",
        "demo",
        "--data-dir",
        str(data),
        "--port",
        str(port),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert process.stdout is not None
        for line in iter(process.stdout.readline, b""):
            if b"serving on" in line:
                break
        while process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30):
                    return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the demo stopped (exit {process.returncode})")
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", default="main", help="git revision to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parindex-demo-start-") as folder:
        base = Path(folder)
        reference = source_of(args.reference, base / "reference")
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at the start")
        ref_first = first_page_seconds(reference, base / "ref-data")
        print(f"reference ({args.reference}): first page after {ref_first:6.1f} s")
        first = first_page_seconds(ROOT / "src", base / "data")
        print(f"this checkout:            first page after {first:6.1f} s")
        print(f"ratio (reference ÷ this): {ref_first / first:.2f}×   target < {TARGET_S:.0f} s")
        print("verdict: " + ("meets" if first < TARGET_S else "misses") + " the 60 s target")


if __name__ == "__main__":
    main()
