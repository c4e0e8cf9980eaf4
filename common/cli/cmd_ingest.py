"""``autoapply ingest PATH... [--source auto|ACTOR_ID] [--json]``: dataset exports into the
store (normalize, dedup, store; no analysis). Works with no ``autoapply.yaml``: the embedded
store is then created under ``.autoapply/`` in the current folder."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from common.adapters.bus_local import LocalBus, NullBus
from common.adapters.dataset_file import iter_dataset_file
from common.cli.output import summary_table
from common.cli.prepare import checked_runtime
from common.preflight import Needs
from common.services.ingest import IngestReport, ingest_items


def register(sub: Any) -> None:
    parser = sub.add_parser("ingest", help="ingest Apify dataset exports into the store")
    parser.add_argument("paths", nargs="+", help="dataset exports (JSON array, JSONL or CSV)")
    parser.add_argument(
        "--source", default="auto", help="actor id or schema name, or 'auto' to detect per item"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object of counts")
    parser.set_defaults(func=run)


def store_location(rt: Any) -> str:
    """Where the jobs went, for the output: the SQLite file or the Firestore database."""
    settings = rt.settings
    if settings.backends.store == "firestore":
        return f"firestore {settings.gcp.project}/{settings.gcp.firestore_database}"
    return str(settings.data_path / "autoapply.sqlite3")


def run(args: argparse.Namespace) -> int:
    rt = checked_runtime(args, Needs(store=True, datasets=args.paths))
    actor = None if args.source == "auto" else args.source
    # on the in-process bus nobody would receive the messages: `autoapply analyze` and `run`
    # find the new jobs in the store
    bus = NullBus() if isinstance(rt.bus, LocalBus) else rt.bus
    report = IngestReport()
    for path in args.paths:
        part = ingest_items(
            iter_dataset_file(path), store=rt.store, bus=bus, now=rt.clock.now(), actor=actor
        )
        report.merge(part)
    where = store_location(rt)
    if args.json:
        print(json.dumps(report.to_dict(), sort_keys=True))
        print(f"store: {where}", file=sys.stderr)
        return 0
    rows: list[tuple[str, Any]] = [
        ("received", report.received),
        ("inserted", report.inserted),
        ("  of which reposts", report.reposts),
        ("duplicates", report.duplicates),
        ("rejected", sum(report.rejected.values())),
    ]
    rows += [(f"  {reason}", n) for reason, n in report.rejected.most_common()]
    summary_table("autoapply ingest", rows)
    print(f"store: {where}")
    return 0
