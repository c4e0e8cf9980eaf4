"""``autoapply generate [--job ID]``: (re)write application documents from the stored jobs.

Without ``--job`` every matched job is done again; a batch of 16 or more is made by one
worker process per core (:func:`common.services.documents.generate_applications`). Files are
replaced in place (fixed names per application); an application that was already delivered
keeps its delivery state.
"""

from __future__ import annotations

import argparse
from typing import Any

from common.cli.output import summary_table
from common.cli.prepare import checked_runtime
from common.domain.job import JobStatus
from common.errors import NotFoundError
from common.handlers import write_many_documents
from common.ports import Where
from common.preflight import Needs
from common.services.documents import application_id, application_prefix
from common.store.collections import APPLICATIONS, JOBS


def register(sub: Any) -> None:
    parser = sub.add_parser("generate", help="write the resume and letter for matched jobs")
    parser.add_argument("--job", help="one job id (default: every matched job)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes that make the documents of 16 or more jobs (default: one per core, "
        "at most 4; 1: all in this process)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rt = checked_runtime(args, Needs(store=True, profile=True))
    if args.job:
        job_ids = [args.job]
    else:
        statuses = [JobStatus.MATCHED.value, JobStatus.DOCUMENTS_READY.value]
        job_ids = [i for i, _ in rt.store.query(JOBS, [Where("status", "in", statuses)])]
        if not job_ids:
            raise NotFoundError("no matched jobs: run `autoapply run FILE...` first")
    rows = []
    results = write_many_documents(sorted(job_ids), rt, force=True, workers=args.workers)
    for job_id, result in results.items():
        if isinstance(result, Exception):
            raise result  # the first that failed, once the others are written
        app = rt.store.get(APPLICATIONS, application_id(job_id)) or {}
        guard = len(app.get("guard_events", []))
        rows.append((f"{job_id}: {result}", f"{guard} guard events"))
    summary_table("autoapply generate", rows)
    print(f"documents: {application_prefix('app-<job id>')} in the object store")
    if rt.settings.backends.objects == "local":
        print(f"object store folder: {rt.settings.data_path / 'objects'}")
    return 0
