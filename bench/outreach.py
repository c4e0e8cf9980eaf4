"""Outreach benchmark: composing, and delivering through the real Gmail client to the fake.

    .venv/bin/python bench/outreach.py [--apps 200]

Prints ms per composed message, deliveries per second (SQLite, send mode, 1 and 4 threads),
Gmail calls per application, and the cost of building the Gmail client (first send of an
instance). Numbers depend on the machine; the fake answers locally, so this measures our side.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.adapters.objects_local import LocalObjectStore
from common.adapters.store_sqlite import SqliteStore
from common.domain.application import Application
from common.domain.preferences import Sending
from common.outreach.compose import compose
from common.store.collections import APPLICATIONS
from tests.helpers.clock import FakeClock
from tests.helpers.fake_gmail import FakeGmail
from tests.helpers.outreach import deliver, profile, seed


def bench_compose(store, objects, app_id: str, rounds: int = 500) -> float:
    app = Application.from_doc(store.get(APPLICATIONS, app_id))
    who = profile()
    started = time.perf_counter()
    for _ in range(rounds):
        compose(app, who, objects, verified_recipient=app.recipient).raw()
    return (time.perf_counter() - started) * 1000 / rounds


def bench_deliver(folder: Path, apps: int, threads: int) -> dict[str, float]:
    store, objects, clock = SqliteStore(folder / "s.sqlite3"), LocalObjectStore(folder), FakeClock()
    sending = Sending(mode="send", daily_cap=400, company_cooldown_days=0, quiet_hours=None)
    ids = [seed(store, objects, i, now=clock.now()) for i in range(apps)]
    with FakeGmail.with_clock(clock) as gmail:
        mailer = gmail.mailer()
        started = time.perf_counter()
        mailer.check()
        first = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda a: deliver(a, store, objects, mailer, clock, sending), ids))
        elapsed = time.perf_counter() - started
        calls = sum(gmail.calls.values()) - gmail.calls["token"] - 1
        assert sum(gmail.sent_count.values()) == apps
    store.close()
    return {"per_s": apps / elapsed, "calls_per_app": calls / apps, "client_ms": first}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store, objects = SqliteStore(folder / "c.sqlite3"), LocalObjectStore(folder / "o")
        app_id = seed(store, objects, 1, now=FakeClock().now())
        print(f"compose: {bench_compose(store, objects, app_id):.3f} ms per message")
        store.close()
        for threads in (1, 4):
            sub = folder / f"t{threads}"
            sub.mkdir()
            r = bench_deliver(sub, args.apps, threads)
            print(
                f"deliver ({threads} thread{'s' if threads > 1 else ''}, {args.apps} apps): "
                f"{r['per_s']:.0f} applications/s, {r['calls_per_app']:.2f} Gmail calls each; "
                f"Gmail client + token + first call {r['client_ms']:.0f} ms"
            )


if __name__ == "__main__":
    main()
