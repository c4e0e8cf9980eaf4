"""``autoapply report --html PATH``: one self-contained HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from common.report.data import gather
from common.report.html import render
from common.runtime import build_runtime
from common.settings import load_settings


def register(sub: Any) -> None:
    parser = sub.add_parser("report", help="write an HTML report of the pipeline")
    parser.add_argument("--html", required=True, help="path of the HTML file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rt = build_runtime(load_settings(args.config))
    page = render(gather(rt.store, rt.objects), rt.clock.now())
    out = Path(args.html)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    print(f"report written: {out.resolve()}")
    return 0
