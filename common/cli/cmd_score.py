"""``autoapply score --profile P --jobs FILE``: score an Apify export, statelessly.

Writes nothing to the store: the Gemini budget and cache of this run live in a throwaway
SQLite file. Prints one JSON object per input item (a JSON array, or JSON Lines with
``--jsonl``). Works in an empty folder: with no autoapply.yaml the defaults apply.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from common.analysis.local_scorer import LocalScorer
from common.clock import SystemClock
from common.domain.analysis import Analysis
from common.domain.candidate import Profile
from common.domain.job import Job
from common.errors import RetryableError
from common.normalize import Rejection, normalize
from common.preflight import Needs, preflight
from common.settings import load_settings


def register(sub: Any) -> None:
    parser = sub.add_parser("score", help="score the jobs of a dataset file (writes nothing)")
    parser.add_argument("--profile", required=True, help="your JSON Resume (JSON or YAML)")
    parser.add_argument("--jobs", required=True, help="Apify dataset export (JSON array or JSONL)")
    parser.add_argument("--source", default="auto", help="actor id, or 'auto' to detect")
    parser.add_argument("--local-only", action="store_true", help="never call Gemini")
    parser.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--feedback",
        metavar="LABELS.json",
        help="your past judgements: a JSON object mapping postings' source_id to true (a fit) "
        "or false; those postings train your model, the others are scored with it",
    )
    parser.set_defaults(func=run)


def rejected_row(item: Any, rejection: Rejection) -> dict[str, Any]:
    """The printed object for an item no normalizer accepted."""
    get = item.get if isinstance(item, dict) else (lambda _k: None)
    return {
        "source_id": str(get("id")) if get("id") is not None else None,
        "source": None,
        "title": get("title"),
        "company": get("companyName") or get("company"),
        "url": None,
        "score": 0,
        "decision": "skip",
        "reasons": [rejection.reason],
        "filtered_by": "unsupported_item",
        "llm_used": False,
        "matched": [],
        "missing": [],
        "contact_email": None,
        "contact_note": None,
    }


def job_row(job: Job, analysis: Analysis) -> dict[str, Any]:
    """The printed object for a scored job."""
    return {
        "source_id": job.source_id,
        "source": job.source,
        "title": job.title,
        "company": job.company,
        "url": job.job_url,
        "score": analysis.score,
        "decision": analysis.decision.value,
        "reasons": analysis.reasons,
        "filtered_by": analysis.filtered_by,
        "llm_used": analysis.llm_used,
        "matched": analysis.matched,
        "missing": analysis.missing,
        "contact_email": analysis.contact_email,
        "contact_note": analysis.contact_note,
    }


def run(args: argparse.Namespace) -> int:
    from common.adapters.dataset_file import iter_dataset_file
    from common.adapters.store_sqlite import SqliteStore
    from common.runtime import build_analyzer, build_secrets
    from common.services.analyze import Context, assess
    from common.services.ranking import build_feedback, read_feedback_file

    settings = load_settings(args.config)
    profile = Profile.load(Path(args.profile))
    # the whole file is read once before the first line is printed: a bad file is one error
    preflight(settings, Needs(analyzer=not args.local_only, datasets=[args.jobs]))
    analyzer = build_analyzer(settings, build_secrets(settings), local_only=args.local_only)
    clock = SystemClock()
    prefs = settings.preferences
    actor = None if args.source == "auto" else args.source
    now = clock.now()
    # two passes: every posting counts in the lexical statistics before any is ranked
    items = [(item, normalize(item, now, actor)) for item in iter_dataset_file(args.jobs)]
    jobs = [job for _, job in items if not isinstance(job, Rejection)]
    local = LocalScorer()
    for job in jobs:
        local.observe(job, profile, prefs.targets, now.date())
    judged: dict[str, bool] = {}
    if args.feedback:
        judged = read_feedback_file(args.feedback, {str(j.source_id) for j in jobs})
        known = [j for j in jobs if str(j.source_id) in judged]
        labels = [judged[str(j.source_id)] for j in known]
        local.feedback = build_feedback(local, known, labels, profile, prefs)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="autoapply-score-") as scratch:
        store = SqliteStore(Path(scratch) / "scratch.sqlite3")
        ctx = Context(store, clock, analyzer, profile, prefs, settings.gemini, local)
        fallback = Context(store, clock, local, profile, prefs, settings.gemini, local)
        for item, job in items:
            if isinstance(job, Rejection):
                out = rejected_row(item, job)
            elif str(job.source_id) in judged:
                continue  # the candidate's own judgement: training, not scoring
            else:
                try:
                    analysis = assess(job, ctx)
                except RetryableError as exc:  # budget used up, 429, 5xx: keep going locally
                    analysis = assess(job, fallback)
                    analysis.reasons.append(f"Gemini not available: {exc.message}")
                out = job_row(job, analysis)
            if args.jsonl:
                print(json.dumps(out, ensure_ascii=False), flush=True)
            else:
                rows.append(out)
        store.close()
    if not args.jsonl:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        print()
    return 0
