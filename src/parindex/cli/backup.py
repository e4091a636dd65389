"""``parindex backup``: the database, evidence files and editions in use, in one zip archive.

Run it from cron as often as the data changes; the archive restores on SQLite or PostgreSQL
(``parindex restore``). Nothing is locked while it runs: it reads one consistent snapshot.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(
        name, help="write a backup archive (database, evidence files, editions in use)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="archive to write (default: <data dir>/backups/parindex-<date>-<time>.zip)",
    )


def run(args: argparse.Namespace) -> int:
    from parindex.cli.bootstrap import start_django

    start_django()
    from parindex.server.backups import default_archive, make_backup

    summary = make_backup(args.output or default_archive())
    records = sum(summary.records.values())
    print(
        f"backup written: {summary.archive} ({summary.size:,} bytes): {records} records, "
        f"{summary.files} files, editions {', '.join(summary.editions) or 'none'}"
    )
    return 0
