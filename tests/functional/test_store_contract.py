"""The document-store contract: one suite, run against SQLite and the Firestore emulator."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from common.errors import ConflictError, NotFoundError
from common.ports import MAX_BATCH, DocumentStore, Where
from common.store.lease import ClaimState, claim, complete, release, run_once
from tests.helpers.clock import FakeClock
from tests.helpers.emulators import require_official_firestore

LEASE = timedelta(minutes=5)


def test_implements_the_port(store: DocumentStore) -> None:
    assert isinstance(store, DocumentStore)


def test_get_absent_is_none(store: DocumentStore) -> None:
    assert store.get("things", "nope") is None


def test_put_get_round_trip(store: DocumentStore) -> None:
    doc = {
        "name": "Jana Nováková",
        "n": 3,
        "x": 1.5,
        "ok": True,
        "none": None,
        "tags": ["a", "b"],
        "nested": {"city": "Zürich", "n": [1, 2]},
    }
    store.put("things", "a", doc)
    assert store.get("things", "a") == doc


def test_put_replaces_whole_document(store: DocumentStore) -> None:
    store.put("things", "a", {"x": 1, "y": 2})
    store.put("things", "a", {"x": 3})
    assert store.get("things", "a") == {"x": 3}


def test_create_only_if_absent(store: DocumentStore) -> None:
    assert store.create("things", "a", {"v": 1}) is True
    assert store.create("things", "a", {"v": 2}) is False
    assert store.get("things", "a") == {"v": 1}


def test_update_merges_top_level_fields(store: DocumentStore) -> None:
    store.put("things", "a", {"x": 1, "y": {"z": 1}})
    store.update("things", "a", {"y": {"w": 2}, "k": "v"})
    assert store.get("things", "a") == {"x": 1, "y": {"w": 2}, "k": "v"}


def test_update_absent_raises_not_found(store: DocumentStore) -> None:
    with pytest.raises(NotFoundError):
        store.update("things", "missing", {"x": 1})
    assert store.get("things", "missing") is None


def test_delete_is_idempotent(store: DocumentStore) -> None:
    store.put("things", "a", {"x": 1})
    store.delete("things", "a")
    store.delete("things", "a")
    assert store.get("things", "a") is None


def test_collections_are_separate(store: DocumentStore) -> None:
    store.put("one", "a", {"v": 1})
    store.put("two", "a", {"v": 2})
    assert store.get("one", "a") == {"v": 1}
    assert store.get("two", "a") == {"v": 2}


def test_get_many_returns_existing_only(store: DocumentStore) -> None:
    store.put_many("things", {"a": {"v": 1}, "b": {"v": 2}})
    assert store.get_many("things", ["a", "b", "c", "a"]) == {"a": {"v": 1}, "b": {"v": 2}}
    assert store.get_many("things", []) == {}


def test_existing_names_present_ids_only(store: DocumentStore) -> None:
    store.put_many("things", {"a": {"v": 1}, "b": {"v": 2}})
    store.put("others", "c", {"v": 3})
    assert store.existing("things", ["a", "b", "c", "a"]) == {"a", "b"}
    assert store.existing("things", []) == set()


def test_get_multi_reads_across_collections(store: DocumentStore) -> None:
    store.put_many("things", {"a": {"v": 1}, "b": {"v": 2}})
    store.put("others", "a", {"w": 3})
    refs = [("things", "a"), ("others", "a"), ("others", "b"), ("things", "a")]
    assert store.get_multi(refs) == {("things", "a"): {"v": 1}, ("others", "a"): {"w": 3}}
    assert store.get_multi([]) == {}


def test_transact_creates_and_updates(store: DocumentStore) -> None:
    def bump(doc: dict | None) -> dict:
        return {"n": (doc or {}).get("n", 0) + 1}

    assert store.transact("things", "c", bump) == {"n": 1}
    assert store.transact("things", "c", bump) == {"n": 2}
    assert store.get("things", "c") == {"n": 2}


def test_transact_returning_none_writes_nothing(store: DocumentStore) -> None:
    store.put("things", "c", {"n": 1})
    assert store.transact("things", "c", lambda doc: None) is None
    assert store.get("things", "c") == {"n": 1}


def test_transact_error_leaves_document_unchanged(store: DocumentStore) -> None:
    store.put("things", "c", {"n": 1})

    def boom(doc: dict | None) -> dict:
        raise ValueError("no")

    with pytest.raises(ValueError):
        store.transact("things", "c", boom)
    assert store.get("things", "c") == {"n": 1}


@pytest.fixture
def jobs(store: DocumentStore) -> DocumentStore:
    store.put_many(
        "jobs",
        {
            "j1": {"status": "new", "at": "2026-11-01T00:00:00.000000Z", "score": 10},
            "j2": {"status": "new", "at": "2026-11-03T00:00:00.000000Z", "score": 80},
            "j3": {"status": "done", "at": "2026-11-02T00:00:00.000000Z", "score": 50},
            "j4": {"status": "new", "at": "2026-11-02T00:00:00.000000Z", "score": 70},
            "j5": {"status": "new", "score": 99},
        },
    )
    return store


def _ids(rows: list[tuple[str, dict]]) -> list[str]:
    return [i for i, _ in rows]


def test_query_equality(jobs: DocumentStore) -> None:
    assert sorted(_ids(jobs.query("jobs", [Where("status", "==", "done")]))) == ["j3"]


def test_query_status_ordered_and_limited(jobs: DocumentStore) -> None:
    rows = jobs.query("jobs", [Where("status", "==", "new")], order_by="at", limit=2)
    assert _ids(rows) == ["j1", "j4"]
    rows = jobs.query("jobs", [Where("status", "==", "new")], order_by="at", descending=True)
    assert _ids(rows) == ["j2", "j4", "j1"]  # j5 has no 'at': excluded by ordering


def test_query_ranges_and_in(jobs: DocumentStore) -> None:
    assert sorted(_ids(jobs.query("jobs", [Where("score", ">=", 70)]))) == ["j2", "j4", "j5"]
    assert sorted(_ids(jobs.query("jobs", [Where("score", "<", 50)]))) == ["j1"]
    assert sorted(_ids(jobs.query("jobs", [Where("status", "in", ["done"])]))) == ["j3"]
    assert jobs.query("jobs", [Where("status", "in", [])]) == []


def test_query_projects_the_fields_asked_for(store: DocumentStore) -> None:
    store.put("docs", "d1", {"status": "new", "at": "t1", "big": "x" * 5000, "n": None,
                             "nested": {"a": [1, 2]}})  # fmt: skip
    store.put("docs", "d2", {"status": "new", "big": "y"})
    rows = store.query("docs", [Where("status", "==", "new")], fields=["at", "nested", "n"])
    assert dict(rows) == {"d1": {"at": "t1", "nested": {"a": [1, 2]}}, "d2": {}}
    assert store.get("docs", "d1")["big"] == "x" * 5000  # the control: it is stored


def test_query_all_and_empty(jobs: DocumentStore) -> None:
    assert len(jobs.query("jobs")) == 5
    assert jobs.query("nothing-here") == []


def test_put_many_crosses_batch_limit(store: DocumentStore) -> None:
    docs = {f"d{i:05d}": {"i": i, "status": "new"} for i in range(MAX_BATCH * 2 + 37)}
    store.put_many("bulk", docs)
    assert len(store.query("bulk", [Where("status", "==", "new")])) == len(docs)
    assert store.get("bulk", "d01036") == {"i": 1036, "status": "new"}


def test_many_large_documents_in_one_call(store: DocumentStore) -> None:
    """500 job-sized documents (6 MB) exceed one commit's request limit: still one call."""
    text = "Requirements: Python, SQL and a habit of writing things down. " * 160  # ~10 KB
    docs = {f"j{i:03d}": {"i": i, "description": text} for i in range(MAX_BATCH)}
    store.put_many("big", docs)
    assert store.existing("big", docs) == set(docs)
    keys = {f"k{i:03d}": {"i": i, "description": text} for i in range(MAX_BATCH)}
    assert store.create_many("bigkeys", keys) == set(keys)
    assert store.get("bigkeys", "k499") == keys["k499"]


def test_claim_lifecycle(store: DocumentStore, clock: FakeClock) -> None:
    first = claim(store, "k", "owner-a", clock.now(), LEASE)
    assert first.state is ClaimState.ACQUIRED
    assert claim(store, "k", "owner-b", clock.now(), LEASE).state is ClaimState.BUSY
    clock.advance(minutes=6)  # the lease expired: a redelivery may take over
    assert claim(store, "k", "owner-b", clock.now(), LEASE).state is ClaimState.ACQUIRED
    assert complete(store, "k", "owner-a", clock.now()) is False  # lost its lease
    assert complete(store, "k", "owner-b", clock.now(), {"n": 1}) is True
    done = claim(store, "k", "owner-c", clock.now(), LEASE)
    assert done.state is ClaimState.DONE
    assert done.record["result"] == {"n": 1}


def test_release_lets_the_next_attempt_in(store: DocumentStore, clock: FakeClock) -> None:
    assert claim(store, "k", "a", clock.now(), LEASE).acquired
    assert release(store, "k", "a") is True
    taken = claim(store, "k", "b", clock.now(), LEASE)
    assert taken.acquired
    assert taken.record["attempts"] == 2


def test_run_once_runs_work_once(store: DocumentStore, clock: FakeClock) -> None:
    calls: list[int] = []
    for _ in range(3):
        run_once(store, "job", clock.now(), LEASE, lambda: calls.append(1) or {"ok": True})
    assert calls == [1]


def test_run_once_failure_releases(store: DocumentStore, clock: FakeClock) -> None:
    def fail() -> dict:
        raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        run_once(store, "job", clock.now(), LEASE, fail)
    assert run_once(store, "job", clock.now(), LEASE, lambda: {"ok": True}) is ClaimState.ACQUIRED


def test_four_concurrent_claimers_exactly_one_wins(
    store: DocumentStore, clock: FakeClock, request: pytest.FixtureRequest
) -> None:
    if "firestore" in request.node.callspec.id:
        require_official_firestore("needs transaction conflicts")
    stores = [store] * 4
    if "firestore" in request.node.callspec.id:  # four function instances, four clients
        from common.adapters.store_firestore import FirestoreStore

        stores = [FirestoreStore(store.client.project) for _ in range(4)]  # type: ignore[attr-defined]
    barrier = threading.Barrier(4)
    results: list[ClaimState] = []
    lock = threading.Lock()

    def contender(i: int) -> None:
        barrier.wait()
        for attempt in range(10):  # a contention give-up is retryable: redeliver, as Pub/Sub would
            try:
                state = claim(stores[i], "contested", f"owner-{i}", clock.now(), LEASE).state
                break
            except ConflictError:
                time.sleep(0.05 * (attempt + 1))
        with lock:
            results.append(state)

    threads = [threading.Thread(target=contender, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == sorted([ClaimState.ACQUIRED] + [ClaimState.BUSY] * 3)
    record = store.get("claims", "contested")
    assert record is not None and record["attempts"] == 1


def test_claim_records_expire(store: DocumentStore, clock: FakeClock) -> None:
    from common.store.lease import CLAIM_TTL, expires

    assert claim(store, "k", "a", clock.now(), LEASE).record["expires_at"] == expires(clock.now())
    clock.advance(minutes=1)
    complete(store, "k", "a", clock.now())
    record = store.get("claims", "k")
    assert record is not None and record["expires_at"] == expires(clock.now())
    assert CLAIM_TTL.days >= 7  # far beyond any redelivery


def test_put_many_records_stored_as_their_docs(store: DocumentStore) -> None:
    from common.domain.job import Compensation, Job

    job = Job(id="j1", title="Dev", company="Acmé", compensation=Compensation(min_amount=1e-5))
    store.put_many("jobs", {"j1": job, "j2": {"v": 1}})
    assert store.get("jobs", "j1") == job.to_doc()
    assert store.get("jobs", "j2") == {"v": 1}
