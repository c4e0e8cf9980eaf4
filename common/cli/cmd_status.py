"""``autoapply status [--json]``: jobs and applications by state."""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.cli.prepare import checked_runtime
from common.preflight import Needs
from common.services.status import current_status


def register(sub: Any) -> None:
    parser = sub.add_parser("status", help="show jobs and applications by state")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rt = checked_runtime(args, Needs(store=True))
    status = current_status(rt.store)
    if args.json:
        print(json.dumps({**status.to_dict(), "data_dir": str(rt.settings.data_path)}, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="pipeline")
    table.add_column("stage")
    table.add_column("count", justify="right")
    for stage, count in status.funnel():
        table.add_row(stage, str(count))
    console.print(table)
    for title, counter in (("jobs", status.jobs), ("applications", status.applications)):
        detail = Table(title=f"{title} by state")
        detail.add_column("state")
        detail.add_column("count", justify="right")
        for state, count in sorted(counter.items()):
            detail.add_row(state, str(count))
        console.print(detail)
    console.print(f"data folder: {rt.settings.data_path}")
    return 0
