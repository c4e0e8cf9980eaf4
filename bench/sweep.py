"""Sweep benchmark (make bench): what finding stranded work costs on the embedded store.

    .venv/bin/python bench/sweep.py [--jobs 100000]

A SQLite store with ``--jobs`` jobs of realistic size (a 3 KB description) is swept three
ways: (1) a cloud tick when nothing is stuck (every job final), (2) a cloud tick with 2,000
jobs stuck (one page of 1,000, with the backoff markers written), (3) a local ``resume`` after
a kill during a huge ingest: every job still ``ingested``, every id found and published (the
handlers are not run). Reported: seconds and the growth of the peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.adapters.bus_local import LocalBus
from common.adapters.store_sqlite import SqliteStore
from common.clock import iso
from common.services.sweep import PAGE, STUCK, sweep
from common.store.collections import JOBS
from tests.helpers.clock import FakeClock

DESCRIPTION = "We build software that moves parcels across Europe. " * 60  # ~3 KB


def _store(folder: Path, n: int, stuck: int, clock: FakeClock) -> SqliteStore:
    folder.mkdir()
    store = SqliteStore(folder / "bench.sqlite3")
    old = iso(clock.now() - STUCK * 2)
    docs = {
        f"j{i:07d}": {
            "id": f"j{i:07d}",
            "title": "Backend Engineer",
            "description": DESCRIPTION,
            "status": "ingested" if i < stuck else "documents_ready",
            "ingested_at": old,
            "updated_at": old,
        }
        for i in range(n)
    }
    store.put_many(JOBS, docs)
    return store


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(label: str, run) -> None:  # type: ignore[no-untyped-def]
    before = _rss_mb()
    started = time.perf_counter()
    published = run()
    took = time.perf_counter() - started
    print(f"{label:<48} {took:7.2f} s  {published:>7} ids  peak RSS +{_rss_mb() - before:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=100_000)
    args = parser.parse_args()
    n = args.jobs
    clock = FakeClock()
    print(f"sweep of {n:,} jobs on SQLite (page {PAGE}, stuck after {STUCK})")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        idle = _store(folder / "idle", n, 0, clock)
        _measure("cloud tick, nothing stuck", lambda: sweep(idle, LocalBus(), clock).published)
        some = _store(folder / "some", n, 2000, clock)
        _measure(
            "cloud tick, 2,000 stuck at one time", lambda: sweep(some, LocalBus(), clock).published
        )
        clock.advance(minutes=1)
        _measure(
            "the next tick (backoff: nothing)", lambda: sweep(some, LocalBus(), clock).published
        )
        every = _store(folder / "all", n, n, clock)
        _measure(
            "local resume, every job stranded (find + publish)",
            lambda: sweep(every, LocalBus(), clock, local=True, page=None).published,
        )


if __name__ == "__main__":
    main()
