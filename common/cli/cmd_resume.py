"""``autoapply resume``: finish the unfinished work in the store, and nothing else.

What a crash, a kill or an error left in a non-final state (jobs not analysed, matches without
documents, applications not delivered, deliveries interrupted mid-send, deferred applications
now due) goes through the remaining stages. ``autoapply run`` does the same before ingesting.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.cli.cmd_run import exit_code, print_summary, progress_bars
from common.cli.prepare import checked_runtime
from common.preflight import Needs
from common.services.pipeline import resume_only


def register(sub: Any) -> None:
    parser = sub.add_parser("resume", help="finish the unfinished work in the store")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rt = checked_runtime(args, Needs(store=True, sender=True, analyzer=True, mailer=True))
    with progress_bars(not args.json) as progress:
        summary = resume_only(rt, progress)
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
    else:
        if not summary.resumed.describe():
            print("nothing to resume: no unfinished work in the store")
        print_summary(summary, rt, ingested=False)
    return exit_code(summary)
