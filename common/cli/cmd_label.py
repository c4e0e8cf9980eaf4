"""``autoapply label JOB_ID good|bad``: tell the ranker what you think of a job.

Your labels (and your approvals and rejections) train your own model, kept in the store and
used by every instance from the next analysis on; ``autoapply analyze --rescore`` re-ranks
the jobs not yet applied to with it.
"""

from __future__ import annotations

import argparse
from typing import Any

from common.cli.prepare import checked_runtime
from common.preflight import Needs

VALUES = {"good": True, "bad": False}


def register(sub: Any) -> None:
    parser = sub.add_parser("label", help="label a job good or bad (trains your ranking)")
    parser.add_argument("job_id", metavar="JOB_ID", help="a job id (autoapply status/report)")
    parser.add_argument("verdict", choices=sorted(VALUES), help="good: a fit; bad: not one")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from common.services.ranking import record_label

    rt = checked_runtime(args, Needs(store=True))
    record_label(rt.store, args.job_id, VALUES[args.verdict], "label", rt.clock)
    print(f"{args.job_id}: labelled {args.verdict}")
    return 0
