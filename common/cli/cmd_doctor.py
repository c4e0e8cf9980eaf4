"""``autoapply doctor``: check every configured integration without changing anything."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from common.services.doctor import DoctorContext, run

_MARK = {"ok": "ok  ", "fail": "FAIL", "skip": "skip"}


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "doctor",
        help="check settings, profile, store and each integration (read-only); exit 1 if any fails",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--terraform-outputs",
        metavar="FILE",
        type=Path,
        help="`terraform output -json` saved to a file, to compare with the settings",
    )
    parser.add_argument(
        "--terraform-dir",
        metavar="DIR",
        type=Path,
        default=Path("terraform"),
        help="read the outputs there with `terraform output` once applied (default: terraform)",
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    ctx = DoctorContext(args.config, args.terraform_outputs, args.terraform_dir)
    findings = run(ctx)
    failed = any(f.status == "fail" for f in findings)
    if args.json:
        print(json.dumps({"ok": not failed, "checks": [f.to_dict() for f in findings]}, indent=2))
    else:
        width = max(len(f.check) for f in findings)
        for f in findings:
            print(f"{_MARK[f.status]}  {f.check:<{width}}  {f.message}")
    return 1 if failed else 0
