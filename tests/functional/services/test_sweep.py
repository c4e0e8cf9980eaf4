"""The sweep against both stores: each stage's pending work from the store's states, leases
respected (dead local owners taken over), the cloud's age and backoff, concurrent sweeps."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from common.adapters.bus_local import LocalBus
from common.clock import iso
from common.errors import ConflictError
from common.events import APPLICATIONS_READY, JOBS_INGESTED, JOBS_MATCHED
from common.services.ingest import ingest_items
from common.services.sweep import STAGES, STUCK, sweep
from common.store.collections import APPLICATIONS, CLAIMS, JOBS, OUTBOX
from tests.helpers.clock import FakeClock
from tests.helpers.runtimes import make_runtime
from tests.helpers.stores import second_client

DEMO = Path(__file__).resolve().parents[3] / "common" / "resources" / "demo"
DEAD = "deadbeef00000000"  # the process part of a dead owner's id


def _job(store: Any, job_id: str, status: str, at: datetime) -> None:
    store.put(JOBS, job_id, {"id": job_id, "status": status, "ingested_at": iso(at),
                             "updated_at": iso(at)})  # fmt: skip


def _app(store: Any, app_id: str, status: str, at: datetime, **extra: Any) -> None:
    store.put(APPLICATIONS, app_id, {"id": app_id, "status": status, "updated_at": iso(at),
                                     **extra})  # fmt: skip


def _published(bus: LocalBus) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for env in bus.queue:
        ids = env.message.get("job_ids") or env.message.get("application_ids")
        out.setdefault(env.topic, []).extend(ids)
    return {topic: sorted(ids) for topic, ids in out.items()}


def _lease(owner: str, until: datetime, state: str = "in_progress", **extra: Any) -> dict:
    return {"state": state, "owner": owner, "lease_until": iso(until), **extra}


def test_each_stage_finds_its_pending_work_and_its_topic(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    now = clock.now()
    _job(store, "j-ingested", "ingested", now)
    _job(store, "j-matched", "matched", now)
    for done in ("documents_ready", "skipped", "filtered", "review"):
        _job(store, f"j-{done}", done, now)
    _app(store, "a-pending", "pending", now)
    _app(store, "a-due", "deferred", now, not_before=iso(now))
    _app(store, "a-later", "deferred", now, not_before=iso(now + timedelta(hours=1)))
    _app(store, "a-written", "written", now)
    _app(store, "a-sending", "sending", now)
    store.put(OUTBOX, "a-sending", _lease("x", now - timedelta(seconds=1), "sending",
                                          claimed_at=iso(now - timedelta(minutes=6))))  # fmt: skip
    bus = LocalBus()
    report = sweep(store, bus, clock, local=True, page=None)
    assert _published(bus) == {
        JOBS_INGESTED: ["j-ingested"],
        JOBS_MATCHED: ["j-matched"],
        APPLICATIONS_READY: ["a-due", "a-pending", "a-sending"],
    }
    assert report.stages["deferred"].found == 1  # a-later: not before its time
    assert report.published == 5


def test_the_leases_the_sweep_checks_are_the_ones_the_stages_take(
    sqlite_store, clock: FakeClock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from common.handlers import HANDLERS
    from common.services.pipeline import attach_handlers
    from common.settings import Settings

    rt = make_runtime(sqlite_store, clock, tmp_path, Settings(profile=str(DEMO / "profile.json")))
    bus = attach_handlers(rt)
    items = json.loads((DEMO / "linkedin-bebity.json").read_text())
    ingest_items(items, store=rt.store, bus=bus, now=clock.now())
    bus.drain()
    apps = rt.store.query(APPLICATIONS)
    assert apps and set(HANDLERS) == {s.topic for s in STAGES}
    for stage in STAGES:
        records = rt.store.query(stage.collection)
        if stage.collection == APPLICATIONS:
            records = apps
        touched = [i for i, _ in records if rt.store.get(stage.lease[0], stage.lease_key(i))]
        if stage.collection == JOBS:  # every analysed job, every job with documents
            assert touched, stage.name
        else:  # every application has its outbox record
            assert len(touched) == len(records), stage.name


def test_in_the_cloud_only_work_older_than_a_lease_is_stuck(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    now = clock.now()
    _job(store, "j-old", "ingested", now - STUCK - timedelta(seconds=1))
    _job(store, "j-new", "ingested", now - timedelta(minutes=1))  # its message is in flight
    bus = LocalBus()
    sweep(store, bus, clock, topics=[JOBS_INGESTED])
    assert _published(bus) == {JOBS_INGESTED: ["j-old"]}


def test_live_leases_are_left_alone_and_dead_processes_leases_taken_over(  # type: ignore[no-untyped-def]
    store, clock: FakeClock
) -> None:
    now = clock.now()
    live = now + timedelta(minutes=4)
    _job(store, "j-busy", "ingested", now)
    _job(store, "j-dead", "ingested", now)
    store.put(CLAIMS, "analyze:j-busy", _lease("alive0000000000.1", live))
    store.put(CLAIMS, "analyze:j-dead", _lease(f"{DEAD}.1", live))
    _app(store, "a-dead", "pending", now)
    submitted = iso(now - timedelta(seconds=5))
    store.put(OUTBOX, "a-dead", _lease(f"{DEAD}.2", live, "sending", submitted_at=submitted,
                                       claimed_at=submitted, purpose="deliver"))  # fmt: skip

    def is_dead(owner: object) -> bool:
        return str(owner).startswith(DEAD)

    bus = LocalBus()
    report = sweep(store, bus, clock, local=True, page=None)  # no liveness: all held
    assert _published(bus) == {} and report.stages["ingested"].busy == 2
    report = sweep(store, bus, clock, local=True, is_dead=is_dead, page=None)
    assert _published(bus) == {JOBS_INGESTED: ["j-dead"], APPLICATIONS_READY: ["a-dead"]}
    assert report.stages["ingested"].released == 1 and report.stages["ingested"].busy == 1
    assert store.get(CLAIMS, "analyze:j-dead")["lease_until"] is None
    assert store.get(CLAIMS, "analyze:j-busy")["lease_until"] == iso(live)
    record = store.get(OUTBOX, "a-dead")  # released, and still to be reconciled first
    assert record["state"] == "sending" and record["lease_until"] is None
    assert record["submitted_at"] == submitted


def test_an_interrupted_approval_is_never_resumed_by_a_sweep(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    now = clock.now()
    _app(store, "a-approving", "drafted", now)
    claimed = iso(now - timedelta(hours=1))
    store.put(OUTBOX, "a-approving", _lease("x.1", now - timedelta(minutes=30), "sending",
                                            purpose="approve", claimed_at=claimed))  # fmt: skip
    bus = LocalBus()
    report = sweep(store, bus, clock, topics=[APPLICATIONS_READY])
    assert _published(bus) == {} and report.stages["sending"].approvals == 1


def test_without_progress_each_republication_waits_twice_as_long(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    _job(store, "j-stuck", "ingested", clock.now() - STUCK)
    bus = LocalBus()

    def tick(minutes: float) -> bool:
        clock.advance(minutes=minutes)
        before = len(bus.queue)
        sweep(store, bus, clock, topics=[JOBS_INGESTED])
        return len(bus.queue) > before

    assert tick(0)  # stuck: republished
    assert not tick(5)  # a second sweep soon after (or a concurrent one) adds nothing
    assert tick(5)  # STUCK later: again
    assert not tick(15)
    assert tick(5)  # then after 2 x STUCK, 4 x STUCK ...
    assert not tick(39)
    assert tick(1)
    # progress (here: a new not_before from a budget wait, now passed) starts over
    store.update(JOBS, "j-stuck", {"not_before": iso(clock.now())})
    assert tick(0)
    assert not tick(5)


def test_concurrent_sweeps_publish_each_item_once(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        _job(store, f"j{n:02d}", "ingested", clock.now() - STUCK)
    buses = [LocalBus(), LocalBus(), LocalBus()]
    clients = [store, second_client(store), second_client(store)]
    start = threading.Barrier(len(buses))
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            sweep(clients[i], buses[i], clock, topics=[JOBS_INGESTED])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(buses))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    ids = [i for bus in buses for ids in _published(bus).values() for i in ids]
    assert sorted(ids) == [f"j{n:02d}" for n in range(30)]  # each once, none lost


class _Contended:
    """The store, where another sweep keeps winning the transactions on one item's record
    (what the emulator reports as contention after the client's five attempts)."""

    def __init__(self, store: Any, lost: str) -> None:
        self._store, self._lost = store, lost

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def transact(self, collection: str, doc_id: str, step: Any) -> Any:
        if doc_id == self._lost:
            raise ConflictError(f"firestore transaction {collection}/{doc_id}: contention")
        return self._store.transact(collection, doc_id, step)


def test_a_sweep_losing_a_record_to_another_leaves_it_and_goes_on(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        _job(store, f"j{n}", "ingested", clock.now() - STUCK)
    bus = LocalBus()
    report = sweep(_Contended(store, "ingested:j1"), bus, clock, topics=[JOBS_INGESTED])
    assert _published(bus) == {JOBS_INGESTED: ["j0", "j2"]}  # j1 is the other sweep's
    assert report.stages["ingested"].waiting == 1


def test_pages_read_every_record_even_when_many_share_one_time(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    base = clock.now() - STUCK * 3
    times = [base] * 5 + [base + timedelta(seconds=1)] * 2 + [base + timedelta(seconds=2)] * 4
    for n, at in enumerate(times):
        _job(store, f"j{n:02d}", "ingested", at)
    bus = LocalBus()
    report = sweep(store, bus, clock, topics=[JOBS_INGESTED], page=3)
    assert _published(bus) == {JOBS_INGESTED: [f"j{n:02d}" for n in range(len(times))]}
    assert report.stages["ingested"].found == len(times)  # each record once


def test_work_waiting_for_its_backoff_does_not_hide_newer_stuck_work(
    store, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    old = clock.now() - STUCK * 3
    _job(store, "j-old-1", "ingested", old)
    _job(store, "j-old-2", "ingested", old + timedelta(seconds=1))
    bus = LocalBus()
    sweep(store, bus, clock, topics=[JOBS_INGESTED], page=2)  # both republished; no progress
    _job(store, "j-new-1", "ingested", clock.now() - STUCK)
    _job(store, "j-new-2", "ingested", clock.now() - STUCK + timedelta(seconds=1))
    clock.advance(minutes=1)
    bus = LocalBus()
    sweep(store, bus, clock, topics=[JOBS_INGESTED], page=2)
    assert _published(bus) == {JOBS_INGESTED: ["j-new-1", "j-new-2"]}
