"""``autoapply analyze``: analyze the jobs in the store that are still pending.

Pending: ``ingested`` jobs, and ``waiting`` jobs (ranked worth a Gemini call, waiting for
budget) whose time has come, best-ranked first. ``--rescore`` first puts every job not yet
applied to back to analysis, to rank it again with your current profile, targets, labels and
thresholds.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.cli.output import summary_table
from common.cli.prepare import checked_runtime
from common.domain.job import JobStatus
from common.errors import RetryableError
from common.ports import Where
from common.preflight import Needs
from common.store.collections import JOBS

BATCH = 50


def register(sub: Any) -> None:
    parser = sub.add_parser("analyze", help="analyze the pending jobs in the store")
    parser.add_argument("--limit", type=int, default=None, help="at most this many jobs")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--rescore", action="store_true", help="re-rank every job not yet applied to"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from collections import Counter

    from common.handlers import on_jobs_ingested
    from common.services.ranking import due_waiting, reopen_for_rescore

    rt = checked_runtime(args, Needs(store=True, profile=True, analyzer=True))
    if args.rescore:
        reopen_for_rescore(rt.store, rt.clock)
    pending = [
        job_id
        for job_id, _ in rt.store.query(
            JOBS, [Where("status", "==", JobStatus.INGESTED.value)], limit=args.limit
        )
    ]
    pending += due_waiting(rt.store, rt.clock)
    pending = pending[: args.limit] if args.limit else pending
    waiting = ""
    for start in range(0, len(pending), BATCH):
        try:
            outcome = on_jobs_ingested({"job_ids": pending[start : start + BATCH]}, rt)
        except RetryableError as exc:
            waiting = exc.message
            continue
        held = sum(1 for v in outcome.values() if v == "waiting")
        if held:
            waiting = f"{held} job(s) wait for the Gemini budget"
    after = rt.store.get_many(JOBS, pending)
    counts = Counter(str(doc.get("status")) for doc in after.values())
    if args.json:
        print(json.dumps({"pending": len(pending), "status": dict(counts), "waiting": waiting}))
    else:
        rows = [("pending jobs", len(pending))]
        rows += [(f"now {status}", n) for status, n in sorted(counts.items())]
        summary_table("autoapply analyze", rows)
        if waiting:
            print(f"some jobs wait: {waiting}")
    return 0
