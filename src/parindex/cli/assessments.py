"""``parindex assessments remind``: e-mail whoever must act before a near deadline.

Run it once a day (cron, a systemd timer): each reminder (7 days and 1 day before the
self-assessment, explanation and appraisal deadlines) goes once to the people still expected to
act, and the run says how many e-mails it sent.
"""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="assessment cycles: deadline reminders")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser(
        "remind", help="e-mail focal points, leaders and appraisers whose deadline is near"
    )


def run(args: argparse.Namespace) -> int:
    from parindex.cli.bootstrap import start_django

    start_django()
    from parindex.server.assessments.services import REMINDER_DAYS, send_reminders

    sent = send_reminders()
    days = " and ".join(str(d) for d in REMINDER_DAYS)
    print(f"deadline reminders: {sent} e-mails sent ({days} days before each deadline)")
    return 0
