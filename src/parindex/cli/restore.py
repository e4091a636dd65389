"""``parindex restore ARCHIVE``: put a backup back into a new, empty installation.

Everything is checked before anything is written (checksums, migrations, editions, an empty
database); the records load in one transaction and the files are removed again if it fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="restore a backup archive into an empty database")
    parser.add_argument("archive", type=Path, help="a file written by 'parindex backup'")


def run(args: argparse.Namespace) -> int:
    from parindex.cli.bootstrap import start_django

    start_django()
    from parindex.server.backups import BackupError, restore_backup

    try:
        summary = restore_backup(args.archive)
    except (BackupError, OSError) as error:
        print(f"parindex restore: nothing restored: {error}", file=sys.stderr)
        return 1
    records = sum(summary.records.values())
    print(
        f"restored {summary.archive}: {records} records, {summary.files} files, "
        f"editions {', '.join(summary.editions) or 'none'}"
    )
    return 0
