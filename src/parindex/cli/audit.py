"""``parindex audit verify``: check the audit log's hash chain; exit 1 when it was tampered with."""

from __future__ import annotations

import argparse

from parindex.cli.bootstrap import start_django


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="check the audit log (hash chain of every change)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify", help="report every event edited or removed since it was recorded"
    )
    verify.add_argument(
        "--expect",
        metavar="DIGEST",
        help="a head digest noted earlier (e.g. printed at publication): it must still be in the log",
    )


def run(args: argparse.Namespace) -> int:
    start_django()
    from parindex.server.audit.models import AuditEvent
    from parindex.server.audit.services import verify_log

    count, head, breaks = verify_log()
    problems = [str(b) for b in breaks]
    if args.expect and not AuditEvent.objects.filter(digest=args.expect).exists():
        problems.append(f"the digest {args.expect} noted earlier is no longer in the log")
    for problem in problems:
        print(f"tampered: {problem}")
    if not problems:
        print(f"parindex audit: {count} events, chain intact; head {head}")
    return 1 if problems else 0
