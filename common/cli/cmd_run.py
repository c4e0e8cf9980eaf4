"""``autoapply run FILE...``: the whole pipeline locally on Apify dataset exports.

Unfinished work in the store is finished first (see ``autoapply resume``); a file that cannot
be read is reported in one line and the other files go on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common.cli.cmd_digest import print_digest
from common.cli.prepare import checked_runtime
from common.preflight import Needs
from common.runtime import Runtime
from common.services.pipeline import PipelineSummary, Progress, run_files


def register(sub: Any) -> None:
    parser = sub.add_parser("run", help="ingest dataset files and run every stage locally")
    parser.add_argument("paths", nargs="+", help="Apify dataset exports (JSON array or JSONL)")
    parser.add_argument("--source", default="auto", help="actor id, or 'auto' to detect")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[Progress | None]:
    """Rich progress bars for the ingest and pipeline stages (on stderr)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bars:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage, total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield update


def print_summary(summary: PipelineSummary, rt: Runtime, ingested: bool = True) -> None:
    """The funnel of a run (``ingested``: with its input items) and the paths of what it
    wrote."""
    from rich.table import Table

    from common.cli.output import cell, console

    ing = summary.ingest
    table = Table(title="autoapply")
    table.add_column("stage")
    table.add_column("count", justify="right")
    table.add_column("detail")
    for line in summary.resumed.describe():
        table.add_row("resumed", "", line)
    rejected = ", ".join(f"{n} {reason}" for reason, n in ing.rejected.most_common())
    if ingested:
        table.add_row(
            "items",
            str(ing.received),
            cell(f"{ing.duplicates} duplicates; rejected: {rejected or 'none'}"),
        )
    for stage, count in summary.status.funnel():
        table.add_row(stage, str(count), "")
    out = console()
    out.print(table)
    out.print(cell(f"data folder: {rt.settings.data_path}"))
    docs = Path(rt.settings.data_path) / "objects" / "applications"
    if docs.is_dir():
        out.print(cell(f"documents:   {docs}"))
    for path in sorted(summary.deliveries):
        out.print(cell(f"email written: {path}"))
    if summary.dead_letters:
        out.print(f"{summary.dead_letters} message(s) failed; see the log above", style="red")
    for error in summary.errors:
        print(cell(f"autoapply: {error}").plain, file=sys.stderr)


def exit_code(summary: PipelineSummary) -> int:
    """2: an input could not be read; 1: a message failed; 0: all done."""
    return 2 if summary.errors else 1 if summary.dead_letters else 0


def run(args: argparse.Namespace) -> int:
    needs = Needs(store=True, sender=True, analyzer=True, mailer=True, datasets=args.paths)
    rt = checked_runtime(args, needs)
    with progress_bars(not args.json) as progress:
        summary = run_files(
            rt, args.paths, actor=None if args.source == "auto" else args.source, progress=progress
        )
    digest = write_digest(rt)
    if args.json:
        print(json.dumps({**summary.to_dict(), "digest": digest.__dict__}, indent=2))
    else:
        print_summary(summary, rt)
        print_digest(digest)
    return exit_code(summary)


def write_digest(rt: Runtime) -> Any:
    """The digest of what this run found (every match, with or without an address)."""
    from common.handlers import send_digest

    return send_digest(rt)
