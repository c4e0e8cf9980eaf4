"""``autoapply run FILE...``: the whole pipeline locally on Apify dataset exports."""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.cli.output import summary_table
from common.runtime import build_runtime
from common.services.pipeline import PipelineSummary, run_files, summary_dict
from common.settings import load_settings


def register(sub: Any) -> None:
    parser = sub.add_parser("run", help="ingest dataset files and run every stage locally")
    parser.add_argument("paths", nargs="+", help="Apify dataset exports (JSON array or JSONL)")
    parser.add_argument("--source", default="auto", help="actor id, or 'auto' to detect")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def print_summary(summary: PipelineSummary, where: str) -> None:
    """The funnel of a local run and where its output went."""
    ing = summary.ingest
    summary_table(
        "autoapply run",
        [
            ("received", ing.received),
            ("new jobs", ing.inserted),
            ("duplicates", ing.duplicates),
            ("rejected", sum(ing.rejected.values())),
            ("skipped / review", summary.jobs.get("skipped", 0) + summary.jobs.get("review", 0)),
            ("matched (documents written)", summary.jobs.get("documents_ready", 0)),
            ("emails in the outbox", summary.applications.get("written", 0)),
            ("no verified address", summary.applications.get("no_contact", 0)),
        ],
    )
    print(f"data folder: {where}")
    for path in sorted(summary.deliveries):
        print(f"email written: {path}")


def run(args: argparse.Namespace) -> int:
    rt = build_runtime(load_settings(args.config))
    summary = run_files(rt, args.paths, actor=None if args.source == "auto" else args.source)
    if args.json:
        print(json.dumps(summary_dict(summary), indent=2))
    else:
        print_summary(summary, str(rt.settings.data_path))
    return 1 if summary.dead_letters else 0
