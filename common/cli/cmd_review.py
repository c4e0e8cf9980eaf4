"""``autoapply review``, ``approve ID...``, ``reject ID...``: the human look at Gmail drafts.

``approve`` sends the draft (``drafts.send``), ``reject`` discards it. Both are idempotent:
approving a sent application, or rejecting a rejected one, changes nothing.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.cli.prepare import checked_runtime
from common.preflight import Needs
from common.runtime import Runtime
from common.services.outreach import approve_application, reject_application, waiting_for_review


def register(sub: Any) -> None:
    review = sub.add_parser("review", help="list drafted applications waiting for approval")
    review.add_argument("--json", action="store_true", help="print JSON")
    review.set_defaults(func=run_review)
    approve = sub.add_parser("approve", help="send reviewed drafts (idempotent)")
    approve.add_argument("ids", nargs="+", metavar="ID", help="application ids from `review`")
    approve.set_defaults(func=run_approve)
    reject = sub.add_parser("reject", help="discard applications that were not sent (idempotent)")
    reject.add_argument("ids", nargs="+", metavar="ID", help="application ids from `review`")
    reject.set_defaults(func=run_reject)


def _runtime(args: argparse.Namespace, mailer: bool = False) -> Runtime:
    return checked_runtime(args, Needs(store=True, mailer=mailer))


def run_review(args: argparse.Namespace) -> int:
    rows = waiting_for_review(_runtime(args).store)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no drafts waiting for review")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} drafts waiting for review")
    for column in ("id", "score", "role", "company", "to", "reasons"):
        table.add_column(column)
    for row in rows:
        reasons = "; ".join(row["reasons"][:3]) + (f" ({row['note']})" if row["note"] else "")
        table.add_row(
            row["id"], str(row["score"]), row["title"], row["company"], row["recipient"], reasons
        )
    Console().print(table)
    print("approve: autoapply approve ID...   reject: autoapply reject ID...")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    rt = _runtime(args, mailer=True)
    for app_id in args.ids:
        status = approve_application(
            app_id, store=rt.store, mailer=rt.mailer, clock=rt.clock, sending=rt.settings.sending
        )
        print(f"{app_id}: {status}")
    return 0


def run_reject(args: argparse.Namespace) -> int:
    rt = _runtime(args, mailer=True)
    for app_id in args.ids:
        status = reject_application(app_id, store=rt.store, mailer=rt.mailer, clock=rt.clock)
        print(f"{app_id}: {status}")
    return 0
