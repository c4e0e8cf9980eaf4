"""``autoapply mark ID OUTCOME`` and ``autoapply replies``: what came of your applications.

``mark`` records an interview, a rejection, an offer or that you withdrew (ID: an application
or job id). ``replies`` asks Gmail which sent applications were answered in their thread (the
cloud does this on a schedule); ``status`` and the report show the answer rate.
"""

from __future__ import annotations

import argparse
from typing import Any

from common.cli.output import cell, console
from common.cli.prepare import checked_runtime
from common.domain.application import Outcome
from common.preflight import Needs


def register(sub: Any) -> None:
    mark = sub.add_parser("mark", help="record what came of an application")
    mark.add_argument("id", metavar="ID", help="application or job id")
    mark.add_argument("outcome", choices=[o.value for o in Outcome])
    mark.set_defaults(func=run_mark)
    replies = sub.add_parser("replies", help="look in Gmail for answers to sent applications")
    replies.set_defaults(func=run_replies)


def run_mark(args: argparse.Namespace) -> int:
    from common.services.documents import application_id
    from common.services.replies import mark_outcome
    from common.services.review import resolve

    rt = checked_runtime(args, Needs(store=True))
    app_id = args.id if resolve(rt.store, args.id) == "application" else application_id(args.id)
    outcome = mark_outcome(rt.store, rt.clock, app_id, args.outcome)
    console().print(cell(f"{app_id}: {outcome}"))
    return 0


def run_replies(args: argparse.Namespace) -> int:
    from common.handlers import check_replies

    result = check_replies(checked_runtime(args, Needs(store=True, profile=True, mailer=True)))
    out = console()
    if result.get("note"):
        out.print(cell(result["note"]))
    out.print(cell(f"checked {result['checked']} thread(s); answered: {len(result['replied'])}"))
    for app_id in result["replied"]:
        out.print(cell(f"  {app_id}: replied"))
    return 0
