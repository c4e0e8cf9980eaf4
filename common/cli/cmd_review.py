"""``autoapply review``, ``approve ID...``, ``reject ID...``: what code left to you.

``review`` lists jobs in the review band (with why: the score, a recipient code would not
choose, a posting that asks for copies) and drafted applications, with their ids and apply
links. ``approve`` on a job writes its documents and drafts or sends it per ``sending.mode``
(``--to`` picks an application address of the posting that code held back); on a draft it
sends it (Gmail) or moves its ``.eml`` into the outbox (locally). ``reject`` drops either.
Approving and rejecting are idempotent, and each is kept as a label of the job.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.cli.output import cell, console
from common.cli.prepare import checked_runtime
from common.errors import ValidationError
from common.preflight import Needs
from common.runtime import Runtime


def register(sub: Any) -> None:
    review = sub.add_parser("review", help="list jobs and drafts waiting for your decision")
    review.add_argument("--json", action="store_true", help="print JSON")
    review.set_defaults(func=run_review)
    approve = sub.add_parser("approve", help="approve review-band jobs or drafts (idempotent)")
    approve.add_argument("ids", nargs="+", metavar="ID", help="job or application ids (review)")
    approve.add_argument(
        "--to", help="for a job: send to this application address of the posting (held back)"
    )
    approve.set_defaults(func=run_approve)
    reject = sub.add_parser("reject", help="reject review-band jobs or unsent drafts (idempotent)")
    reject.add_argument("ids", nargs="+", metavar="ID", help="job or application ids (review)")
    reject.set_defaults(func=run_reject)


def _runtime(args: argparse.Namespace, mailer: bool = False) -> Runtime:
    """The runtime once the preflight passed (with ``mailer``: the mail credentials a
    decision may use), so a refusal changes nothing."""
    return checked_runtime(args, Needs(store=True, mailer=mailer))


def run_review(args: argparse.Namespace) -> int:
    from common.services.review import review_queue

    rows = review_queue(_runtime(args).store)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    out = console()
    if not rows:
        out.print("nothing waiting for review")
        return 0
    out.print(f"{len(rows)} waiting for review (best score first)\n", style="bold")
    for row in rows:
        what = "draft" if row["kind"] == "draft" else "job in the review band"
        head = f"{row['id']}  score {row['score']}  {row['title']} at {row['company']}  ({what})"
        out.print(cell(head, "bold"))
        # the indent outside the cell: a cell is one stripped line
        out.print("   ", cell(f"to: {row['to'] or '-'}    apply: {row['apply_url'] or '-'}"))
        note = row["note"]
        for why in [*([note] if note else []), *row["reasons"][:4]]:
            out.print("    -", cell(why))
        out.print()
    out.print("approve: autoapply approve ID... [--to ADDRESS]    reject: autoapply reject ID...")
    return 0


def _settle(rt: Runtime) -> None:
    """Locally, run what an approval started (documents, delivery) before returning."""
    from common.adapters.bus_local import LocalBus

    if isinstance(rt.bus, LocalBus):
        from common.services.pipeline import attach_handlers

        bus = attach_handlers(rt)
        while bus.queue:
            bus.drain_one()


def run_approve(args: argparse.Namespace) -> int:
    from common.services.documents import application_id
    from common.services.outreach import approve_application
    from common.services.ranking import label_application
    from common.services.review import approve_job, resolve
    from common.store.collections import APPLICATIONS

    rt = _runtime(args, mailer=True)
    kinds = {item: resolve(rt.store, item) for item in args.ids}  # an unknown id changes nothing
    if args.to and (len(args.ids) > 1 or "application" in kinds.values()):
        raise ValidationError(
            "--to names the address for one job from `autoapply review` (a draft keeps its own)",
            field="to",
        )
    out = console()
    for item in args.ids:
        if kinds[item] == "application":
            status = approve_application(
                item, store=rt.store, mailer=rt.mailer, clock=rt.clock, sending=rt.settings.sending
            )
            label_application(rt.store, item, True, "approve", rt.clock)
        else:
            approve_job(item, store=rt.store, bus=rt.bus, clock=rt.clock, to=args.to)
            _settle(rt)
            app = rt.store.get(APPLICATIONS, application_id(item)) or {}
            status = app.get("status", "approved: documents and delivery follow")
            if app.get("reason") and status == "no_contact":
                status = f"{status} ({app['reason']}); it is in the next digest with its apply link"
        out.print(cell(f"{item}: {status}"))
    return 0


def run_reject(args: argparse.Namespace) -> int:
    from common.services.outreach import reject_application
    from common.services.ranking import label_application
    from common.services.review import reject_job, resolve

    rt = _runtime(args, mailer=True)
    kinds = {item: resolve(rt.store, item) for item in args.ids}  # an unknown id changes nothing
    out = console()
    for item in args.ids:
        if kinds[item] == "application":
            status = reject_application(item, store=rt.store, mailer=rt.mailer, clock=rt.clock)
            label_application(rt.store, item, False, "reject", rt.clock)
        else:
            status = reject_job(item, store=rt.store, clock=rt.clock)
        out.print(cell(f"{item}: {status}"))
    return 0
