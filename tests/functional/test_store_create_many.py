"""``create_many`` on both stores: absent documents created, existing ones left alone."""

from __future__ import annotations

import threading

from common.ports import MAX_BATCH


def test_creates_only_the_absent(store) -> None:  # type: ignore[no-untyped-def]
    store.put("keys", "a", {"v": "old"})
    created = store.create_many("keys", {"a": {"v": "new"}, "b": {"v": 1}, "c": {"v": 2}})
    assert created == {"b", "c"}
    assert store.get("keys", "a") == {"v": "old"}
    assert store.get_many("keys", ["b", "c"]) == {"b": {"v": 1}, "c": {"v": 2}}
    assert store.create_many("keys", {}) == set()


def test_more_than_one_batch(sqlite_store) -> None:  # type: ignore[no-untyped-def]
    docs = {f"k{i}": {"i": i} for i in range(MAX_BATCH + 3)}
    assert sqlite_store.create_many("keys", docs) == set(docs)
    assert sqlite_store.create_many("keys", docs) == set()


def test_concurrent_callers_each_key_created_once(store) -> None:  # type: ignore[no-untyped-def]
    docs = {f"k{i}": {"i": i} for i in range(30)}
    results: list[set[str]] = []

    def worker() -> None:
        results.append(store.create_many("keys", docs))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    union = set().union(*results)
    assert union == set(docs) and sum(len(r) for r in results) == len(docs)
