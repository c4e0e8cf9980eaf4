"""Benchmark: what the guard (breaker + audit) adds to each external call, on SQLite.

Prints the mean time per call of a no-op "external call" bare, under the guard with the
audit trail off, and under the guard with everything on (one breaker read, one breaker
transaction, one audit write). Run: ``make bench`` or ``python bench/guard_overhead.py``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from common.adapters.store_sqlite import SqliteStore
from common.clock import SystemClock
from common.resilience.guard import Guard
from common.settings import Resilience

CALLS = 500


def per_call(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for _ in range(CALLS):
        fn()
    return (time.perf_counter() - started) / CALLS * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite3")
        clock = SystemClock()
        bare = per_call(lambda: "ok")
        no_audit = Guard(store, clock, Resilience(audit=False))
        full = Guard(store, clock, Resilience())
        ids = {"job_id": "j-1"}
        breaker_only = per_call(lambda: no_audit.call("gemini", "generate", lambda: "ok", ids=ids))
        everything = per_call(lambda: full.call("apify", "get_run", lambda: "ok", ids=ids))
        store.close()
    print(f"guard overhead per call on SQLite ({CALLS} calls):")
    print(f"  bare call          {bare:8.4f} ms")
    print(f"  breaker only       {breaker_only:8.4f} ms")
    print(f"  breaker + audit    {everything:8.4f} ms")


if __name__ == "__main__":
    main()
