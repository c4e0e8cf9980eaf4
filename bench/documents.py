"""Benchmark: application documents per second on the local path (make bench).

One application = resume and cover letter, each as DOCX and PDF (plus the letter's text).
Measures (1) content + rendering alone and (2) the whole ``generate_application`` with the
embedded defaults (SQLite store, local folder for templates and output), regenerating the
same application so every round writes and replaces the five files.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common.adapters.bus_local import LocalBus  # noqa: E402
from common.adapters.objects_local import LocalObjectStore  # noqa: E402
from common.adapters.store_sqlite import SqliteStore  # noqa: E402
from common.clock import SystemClock  # noqa: E402
from common.documents.content import build_content  # noqa: E402
from common.documents.render import render_application  # noqa: E402
from common.documents.templates import Templates  # noqa: E402
from common.services.documents import generate_application  # noqa: E402
from common.store.collections import ANALYSES, JOBS  # noqa: E402
from tests.helpers import documents as sample  # noqa: E402

DOCS_PER_APPLICATION = 4  # resume + letter, DOCX + PDF


class Timer:
    """Wall and CPU time of a block (CPU time is steadier on a busy machine)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def rate(label: str, rounds: int, timer: Timer) -> None:
    print(
        f"{label:<38} {rounds / timer.wall:6.1f} applications/s  "
        f"{rounds * DOCS_PER_APPLICATION / timer.wall:6.1f} documents/s  "
        f"({timer.wall / rounds * 1000:.0f} ms wall, {timer.cpu / rounds * 1000:.0f} ms CPU "
        "per application)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    profile, job, analysis = sample.profile(), sample.job(), sample.analysis()
    templates = Templates()

    render_application(build_content(profile, job, analysis, today=date.today()), templates)
    with Timer() as timer:
        for _ in range(args.rounds):
            content = build_content(profile, job, analysis, today=date.today())
            render_application(content, templates)
    rate("content + render (memory only)", args.rounds, timer)

    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "state.sqlite3")
        objects = LocalObjectStore(Path(tmp) / "objects")
        store.put(JOBS, job.id, job.to_doc())
        store.put(ANALYSES, job.id, analysis.to_doc())
        kwargs = dict(store=store, objects=objects, bus=LocalBus(), clock=SystemClock())
        generate_application(job.id, profile=profile, **kwargs)  # seeds the templates
        with Timer() as timer:
            for _ in range(args.rounds):
                generate_application(job.id, profile=profile, force=True, **kwargs)
        rate("generate_application (SQLite + folder)", args.rounds, timer)
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
