"""Exactly once under crashes, lost answers and concurrent redelivery.

Every application gets one fault: a crash (an exception nothing in the send path catches,
like a killed process) at each step of the send path, a Gmail answer lost after Gmail
accepted the message (connection dropped, 500), or a 429. Then the same applications are
delivered again, several threads at once, with crashes during reconciliation too, until all
are sent. The fake Gmail server must have accepted exactly one email per application.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from common.adapters.objects_local import LocalObjectStore
from common.domain.preferences import Sending
from common.errors import RetryableError
from common.store.collections import APPLICATIONS
from tests.helpers.fake_gmail import FakeGmail, Fault
from tests.helpers.outreach import deliver, seed

CRASH_STEPS = ["claimed", "policy", "submitting", "accepted", "recorded"]
SERVER_FAULTS = {
    "drop": Fault("drop"),
    "500-after-accept": Fault("after", 500, "backendError"),
    "429": Fault("before", 429, "rateLimitExceeded"),
    "403-rate": Fault("before", 403, "userRateLimitExceeded"),
}
#: no fault at first, and delivered for the first time by several threads at once
KINDS = ["none", "concurrent-first", *CRASH_STEPS, *SERVER_FAULTS]


class Crash(BaseException):
    """A process dying: not an Exception, so no ``except Exception`` in the path sees it."""


@dataclass
class Storm:
    store: Any
    objects: LocalObjectStore
    gmail: FakeGmail
    clock: Any
    sending: Sending = field(
        default_factory=lambda: Sending(
            mode="send", daily_cap=400, company_cooldown_days=0, quiet_hours=None
        )
    )
    deliveries: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    crash_on_reconcile: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.mailer = self.gmail.mailer()

    def deliver(self, app_id: str, crash_at: str | None = None) -> None:
        def checkpoint(step: str) -> None:
            if step == crash_at:
                raise Crash(step)
            if step == "reconciled":
                with self.lock:
                    if app_id in self.crash_on_reconcile:
                        self.crash_on_reconcile.discard(app_id)
                        raise Crash(step)

        with self.lock:
            self.deliveries += 1
        try:
            outcome = deliver(
                app_id,
                self.store,
                self.objects,
                self.mailer,
                self.clock,
                self.sending,
                checkpoint=checkpoint,
            )
        except Crash as crash:
            outcome = f"crash@{crash}"
        except RetryableError as exc:
            outcome = type(exc).__name__
        with self.lock:
            self.outcomes[outcome] += 1

    def wave(self, ids: list[str], threads: int, seed_: int) -> None:
        """Every thread delivers every application, each in its own order."""
        orders = []
        for t in range(threads):
            order = list(ids)
            random.Random(seed_ * 100 + t).shuffle(order)
            orders.append(order)
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda order: [self.deliver(i) for i in order], orders))

    def expire_leases(self) -> None:
        self.clock.advance(seconds=self.sending.lease_seconds + 1)


def run_storm(storm: Storm, n: int, threads: int) -> dict[str, int]:
    ids = [seed(storm.store, storm.objects, i, now=storm.clock.now()) for i in range(n)]
    kinds = {app_id: KINDS[i % len(KINDS)] for i, app_id in enumerate(ids)}
    # 1. the first delivery of each application, with its fault
    for app_id in ids:
        kind = kinds[app_id]
        if kind == "concurrent-first":
            continue
        if kind in SERVER_FAULTS:
            storm.gmail.inject("messages.send", SERVER_FAULTS[kind])
        storm.deliver(app_id, crash_at=kind if kind in CRASH_STEPS else None)
    # crashed attempts hold their lease until it expires; a third of the redeliveries that
    # reconcile crash right after the mailbox search
    storm.crash_on_reconcile = {a for i, a in enumerate(ids) if i % 3 == 0}
    storm.expire_leases()
    # 2. redelivery by several threads at once (the first delivery for some)
    storm.wave(ids, threads, seed_=1)
    storm.expire_leases()
    # 3. again, then alone until every application settles (as Pub/Sub would redeliver)
    storm.wave(ids, threads, seed_=2)
    for _ in range(5):
        storm.expire_leases()
        unsettled = [a for a in ids if storm.store.get(APPLICATIONS, a)["status"] != "sent"]
        for app_id in unsettled or ids:
            storm.deliver(app_id)
        if not unsettled:
            break
    statuses = Counter(storm.store.get(APPLICATIONS, a)["status"] for a in ids)
    message_ids = [storm.store.get(APPLICATIONS, a)["message_id"] for a in ids]
    assert statuses == {"sent": n}, statuses
    assert all(storm.gmail.sent_count[m] == 1 for m in message_ids), [
        (m, storm.gmail.sent_count[m]) for m in message_ids if storm.gmail.sent_count[m] != 1
    ]
    assert sum(storm.gmail.sent_count.values()) == n == len(storm.gmail.sent())
    crashes = sum(v for k, v in storm.outcomes.items() if k.startswith("crash@"))
    stats = {
        "applications": n,
        "deliveries": storm.deliveries,
        "crashes": crashes,
        "sends_counted": sum(storm.gmail.sent_count.values()),
        "messages.send calls": storm.gmail.calls["messages.send"],
        "messages.list calls": storm.gmail.calls["messages.list"],
    }
    assert crashes >= n * len(CRASH_STEPS) // len(KINDS)
    assert storm.outcomes["crash@reconciled"] > 0 and storm.outcomes["OutcomeUnknown"] > 0
    print("\nexactly-once storm:", stats, dict(storm.outcomes))
    return stats


@pytest.fixture
def objects(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


@pytest.mark.parametrize("hide_ids", [False, True], ids=["message-id", "fallback-search"])
def test_exactly_once_sqlite(sqlite_store, objects, clock, hide_ids: bool) -> None:
    with FakeGmail.with_clock(clock, hide_message_ids=hide_ids) as gmail:
        storm = Storm(sqlite_store, objects, gmail, clock)
        stats = run_storm(storm, n=220 if not hide_ids else 66, threads=4)
    assert stats["deliveries"] >= 3 * stats["applications"]


def test_exactly_once_firestore(firestore_store, objects, clock) -> None:
    with FakeGmail.with_clock(clock) as gmail:
        run_storm(Storm(firestore_store, objects, gmail, clock), n=33, threads=3)
