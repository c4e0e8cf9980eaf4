"""``autoapply status [--json] [--health]``: jobs and applications by state, or (``--health``)
the integrations as the health function reports them."""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.runtime import Runtime, build_runtime
from common.services.status import current_status
from common.settings import load_settings


def register(sub: Any) -> None:
    parser = sub.add_parser("status", help="show jobs and applications by state")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--health",
        action="store_true",
        help="the integrations' health, as GET /api/health/integrations (exit 1 when down)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rt = build_runtime(load_settings(args.config))
    if args.health:
        return _health(rt, args.json)
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


def _health(rt: Runtime, as_json: bool) -> int:
    """The health function's view of the integrations (the same checks, the same body)."""
    from common.services import health

    body, code = health.integrations(rt)
    if as_json:
        print(json.dumps(body, indent=2))
        return 0 if code == 200 else 1
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"integrations: {body['status']}")
    for column in ("integration", "status", "ms", "breaker", "last error"):
        table.add_column(column)
    problems = []
    for name, entry in body["integrations"].items():
        latency = entry["latency_ms"]
        table.add_row(
            f"{entry['kind']}/{name}",
            entry["status"] if entry["enabled"] else "not in use",
            "" if latency is None else f"{latency:.0f}",
            entry["breaker"] or "",
            entry["last_error"] or "",
        )
        if entry.get("error"):
            problems.append(f"{name}: {entry['error']['message']}")
    console = Console()
    console.print(table)
    for line in problems:
        console.print(escape(line), soft_wrap=True)
    return 0 if code == 200 else 1
