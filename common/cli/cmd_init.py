"""``autoapply init``: a starter ``autoapply.yaml`` and profile template, with comments."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path
from typing import Any

FILES = ("autoapply.yaml", "profile.yaml")


def register(sub: Any) -> None:
    parser = sub.add_parser("init", help="write a starter autoapply.yaml and profile template")
    parser.add_argument("--dir", default=".", help="folder to write into (default: here)")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    existing = [name for name in FILES if (folder / name).exists()]
    if existing and not args.force:
        print(
            f"autoapply: {', '.join(existing)} already exist in {folder.resolve()}; "
            "nothing written (use --force to overwrite)"
        )
        return 1
    source = resources.files("common.resources") / "init"
    for name in FILES:
        (folder / name).write_bytes((source / name).read_bytes())
        print(f"wrote {(folder / name).resolve()}")
    print(
        "next: put your facts in profile.yaml, your search in autoapply.yaml, then "
        "`autoapply run DATASET.json` or `autoapply status`"
    )
    return 0
