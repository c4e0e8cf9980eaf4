"""``autoapply report --html PATH``: one self-contained HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from common.cli.prepare import checked_runtime
from common.preflight import Needs
from common.report.data import gather
from common.report.html import render


def register(sub: Any) -> None:
    parser = sub.add_parser("report", help="write an HTML report of the pipeline")
    parser.add_argument("--html", required=True, help="path of the HTML file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rt = checked_runtime(args, Needs(store=True))
    page = render(gather(rt.store, rt.objects), rt.clock.now())
    out = Path(args.html)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    print(f"report written: {out.resolve()}")
    return 0
