"""``autoapply demo``: the whole pipeline on the bundled sample data, embedded defaults."""

from __future__ import annotations

import argparse
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from common.cli.cmd_digest import print_digest
from common.cli.cmd_run import print_summary, progress_bars, write_digest
from common.errors import ValidationError
from common.runtime import build_runtime
from common.services.pipeline import run_files
from common.settings import load_settings


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help="run the pipeline on bundled sample data")
    parser.add_argument("--dir", default="autoapply-demo", help="folder for the demo's files")
    parser.add_argument("--keep", action="store_true", help="keep the results of a previous demo")
    parser.set_defaults(func=run)


def _is_demo_folder(folder: Path, source: Any) -> bool:
    """Whether ``folder`` is empty or holds a previous demo (its settings are the bundled
    ones): only such a folder is ever emptied or written into."""
    if not any(folder.iterdir()):
        return True
    settings = folder / "autoapply.yaml"
    bundled = (source / "autoapply.yaml").read_bytes()
    return settings.is_file() and settings.read_bytes() == bundled


def prepare(folder: Path, keep: bool = False) -> list[Path]:
    """Copy the bundled profile, settings and datasets into ``folder``; return the datasets.

    ``folder`` must be new, empty or a previous demo's: any other folder (``--dir .``, your
    home) is refused, never emptied."""
    source = resources.files("common.resources") / "demo"
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"--dir {folder} is a file: give a new folder for the demo")
    if folder.is_dir() and not _is_demo_folder(folder, source):
        raise ValidationError(
            f"--dir {folder} holds files of its own (not a previous demo): give a new or "
            "empty folder for the demo; nothing was changed"
        )
    if folder.exists() and not keep:
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    datasets: list[Path] = []
    for entry in source.iterdir():
        target = folder / entry.name
        target.write_bytes(entry.read_bytes())
        if entry.name.endswith((".json", ".jsonl")) and entry.name != "profile.json":
            datasets.append(target)
    return sorted(datasets)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.dir).resolve()
    datasets = prepare(folder, keep=args.keep)
    settings = load_settings(folder / "autoapply.yaml", env={})
    rt = build_runtime(settings)
    with progress_bars() as progress:
        summary = run_files(rt, datasets, progress=progress)
    print_summary(summary, rt)
    print_digest(write_digest(rt))
    return 0 if summary.deliveries else 1
