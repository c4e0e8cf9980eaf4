"""Ingestion against both stores: three-step dedup, reposts, batches, concurrency, resume."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from common.adapters.bus_local import LocalBus
from common.events import JOBS_INGESTED
from common.normalize import normalize
from common.ports import MAX_BATCH
from common.services.dedup import STEPS, key_id
from common.services.ingest import PUBLISH_BATCH, ingest_items
from common.store.collections import JOBS

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
LONG_TEXT = " ".join(f"word{i}" for i in range(80))


def bebity(n: int, **over: object) -> dict:
    item = {
        "id": str(n),
        "jobUrl": f"https://de.linkedin.com/jobs/view/job-{n}?trk=abc&refId={n}",
        "companyName": f"Company {n}",
        "title": f"Engineer {n}",
        "location": "Berlin, Germany",
        "postedTime": "1 day ago",
        "descriptionHtml": f"<p>Posting {n}. {LONG_TEXT}</p>",
    }
    item.update(over)
    return item


def _ingest(store, items, bus=None, **kw):  # type: ignore[no-untyped-def]
    bus = bus or LocalBus()
    return ingest_items(items, store=store, bus=bus, now=NOW, **kw), bus


def test_three_steps_and_repost(store) -> None:  # type: ignore[no-untyped-def]
    original = bebity(1)
    same_url = bebity(2, jobUrl="https://www.de.linkedin.com/jobs/view/job-1/?utm_source=x")
    same_ctl = bebity(3, companyName="Company 1", title="Engineer 1")
    repost = bebity(
        4,
        companyName="Company 1",
        title="Engineer 1 (m/f/d)",
        location="Munich, Germany",
        descriptionHtml=original["descriptionHtml"],
    )
    report, bus = _ingest(store, [original, same_url, same_ctl, repost, bebity(5)])
    assert (report.received, report.inserted, report.duplicates, report.reposts) == (5, 3, 2, 1)
    jobs = dict(store.query(JOBS))
    first_id = normalize(original, NOW).id  # type: ignore[union-attr]
    repost_doc = next(d for d in jobs.values() if d["source_id"] == "4")
    assert repost_doc["repost_of"] == first_id
    assert jobs[first_id]["repost_of"] is None
    published = [i for e in bus.queue if e.topic == JOBS_INGESTED for i in e.message["job_ids"]]
    assert sorted(published) == sorted(jobs)


def test_second_ingest_is_all_duplicates(store) -> None:  # type: ignore[no-untyped-def]
    items = [bebity(n) for n in range(10)]
    _ingest(store, items)
    report, bus = _ingest(store, items)
    assert (report.inserted, report.duplicates) == (0, 10)
    assert not bus.queue


def test_batches_and_publish_size(sqlite_store) -> None:  # type: ignore[no-untyped-def]
    count = MAX_BATCH * 2 + 37
    report, bus = _ingest(sqlite_store, (bebity(n) for n in range(count)))
    assert report.inserted == count
    sizes = [len(e.message["job_ids"]) for e in bus.queue]
    assert max(sizes) == PUBLISH_BATCH and sum(sizes) == count
    assert len(sqlite_store.query(JOBS)) == count


def test_concurrent_ingests_store_each_posting_once(store) -> None:  # type: ignore[no-untyped-def]
    items = [bebity(n) for n in range(40)]
    # the same postings under other ids and URLs: only the company+title+location key links them
    twins = [bebity(1000 + n, companyName=f"Company {n}", title=f"Engineer {n}") for n in range(40)]
    reports = []

    def worker(batch: list[dict]) -> None:
        reports.append(_ingest(store, batch)[0])

    threads = [threading.Thread(target=worker, args=(b,)) for b in (items, twins, items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.inserted for r in reports) == 40
    assert sum(r.duplicates for r in reports) == 80
    assert len(store.query(JOBS)) == 40


def test_keys_claimed_before_a_crash_do_not_block_the_retry(store) -> None:  # type: ignore[no-untyped-def]
    job = normalize(bebity(7), NOW)
    for collection, key_of in STEPS:  # the first attempt claimed every key, then died
        store.create(collection, key_id(key_of(job)), {"job_id": job.id})  # type: ignore[arg-type]
    report, _ = _ingest(store, [bebity(7)])
    assert report.inserted == 1 and store.get(JOBS, job.id) is not None  # type: ignore[union-attr]


def test_retried_page_republishes_what_it_stored(sqlite_store) -> None:  # type: ignore[no-untyped-def]
    items = [bebity(n) for n in range(5)]
    _ingest(sqlite_store, items, run_id="run-1")
    report, bus = _ingest(sqlite_store, items, run_id="run-1", resume=True)
    assert report.inserted == 5 and len(bus.queue) == 1
    other, bus = _ingest(sqlite_store, items, run_id="run-2", resume=True)
    assert other.duplicates == 5 and not bus.queue


def test_rejections_are_counted_by_reason(sqlite_store) -> None:  # type: ignore[no-untyped-def]
    report, _ = _ingest(sqlite_store, [{"x": 1}, "text", bebity(1, companyName=""), bebity(2)])
    assert dict(report.rejected) == {
        "unknown item shape (no field of a supported actor)": 1,
        "item is not a JSON object": 1,
        "linkedin-bebity: missing title or company": 1,
    }
    assert report.to_dict()["inserted"] == 1


def _crashed_claim(store, item: dict, minutes_ago: float):  # type: ignore[no-untyped-def]
    """An earlier ingest claimed the posting's keys for its own job id, then died before
    storing the job."""
    from datetime import timedelta

    from common.services.dedup import Deduper

    job = normalize(item, NOW)
    at = NOW - timedelta(minutes=minutes_ago)
    [(_, verdict)] = Deduper(store, "dead-attempt", at).classify([job])  # type: ignore[list-item]
    assert verdict.value == "new" and store.get(JOBS, job.id) is None  # type: ignore[union-attr]
    return job


def _same_posting_new_id(n: int) -> dict:
    """Posting ``n`` again under another source id (same URL, company, title, text)."""
    return bebity(n, id=f"{n}-again")


def test_a_stale_key_of_a_job_never_stored_is_taken_over(store) -> None:  # type: ignore[no-untyped-def]
    _crashed_claim(store, bebity(8), minutes_ago=30)
    report, _ = _ingest(store, [_same_posting_new_id(8)])
    assert report.inserted == 1 and report.duplicates == 0 and report.reposts == 0
    stored = normalize(_same_posting_new_id(8), NOW)
    assert store.get(JOBS, stored.id)["repost_of"] is None  # type: ignore[union-attr,index]
    for collection, key_of in STEPS:  # every key now names the stored job
        assert store.get(collection, key_id(key_of(stored)))["job_id"] == stored.id  # type: ignore[arg-type,index,union-attr]
    again, _ = _ingest(store, [_same_posting_new_id(8)])
    assert again.duplicates == 1  # and it dedups as usual from now on


def test_a_fresh_key_of_another_attempt_is_respected(store) -> None:  # type: ignore[no-untyped-def]
    """Within the stale time the other attempt may be storing its job right now."""
    _crashed_claim(store, bebity(9), minutes_ago=2)
    report, _ = _ingest(store, [_same_posting_new_id(9)])
    assert report.inserted == 0 and report.duplicates == 1


def test_duplicates_are_found_before_normalizing(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A re-ingest recognizes stored jobs by the id alone: no item is normalized again and no
    stored job document is read."""
    from common.services import ingest

    items = [bebity(n) for n in range(30)]
    _ingest(store, items)
    normalized: list[str] = []
    read: list[str] = []
    real_normalize, real_get_many = ingest.normalize_identified, store.get_many

    def spy_normalize(item, found, now):  # type: ignore[no-untyped-def]
        normalized.append(found.id)
        return real_normalize(item, found, now)

    def spy_get_many(collection, ids):  # type: ignore[no-untyped-def]
        read.append(collection)
        return real_get_many(collection, ids)

    monkeypatch.setattr(ingest, "normalize_identified", spy_normalize)
    monkeypatch.setattr(store, "get_many", spy_get_many)
    report, _ = _ingest(store, [*items, bebity(99)])
    assert (report.inserted, report.duplicates) == (1, 30)
    assert len(normalized) == 1 and JOBS not in read


class _Checked(LocalBus):
    """A bus that records, at each publish, which of the published jobs were stored."""

    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.store, self.unstored = store, []

    def publish(self, topic, message, attributes=None):  # type: ignore[no-untyped-def]
        ids = message["job_ids"]
        self.unstored += sorted(set(ids) - self.store.existing(JOBS, ids))
        return super().publish(topic, message, attributes)


class _Background:
    """The SQLite store (one connection per thread) declaring concurrent writes, so the
    ingest writes each batch's jobs in the background as it does on Firestore; each write
    starts ``delay`` seconds late (still in flight when the next batch starts)."""

    CONCURRENT_WRITES = True

    def __init__(self, store, fail_after: int | None = None, delay: float = 0.0) -> None:  # type: ignore[no-untyped-def]
        self.store, self.fail_after, self.delay, self.writes = store, fail_after, delay, 0

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.store, name)

    def put_many(self, collection, docs):  # type: ignore[no-untyped-def]
        import time

        self.writes += 1
        time.sleep(self.delay)
        if self.fail_after is not None and self.writes > self.fail_after:
            raise RuntimeError("write failed")
        self.store.put_many(collection, docs)


def _repeat_across_batches(store, target) -> None:  # type: ignore[no-untyped-def]
    items = [bebity(n) for n in range(MAX_BATCH)] + [bebity(0), bebity(MAX_BATCH)]
    bus = _Checked(store)
    report, _ = _ingest(target, items, bus=bus)
    assert (report.inserted, report.duplicates) == (MAX_BATCH + 1, 1)
    published = [i for e in bus.queue for i in e.message["job_ids"]]
    assert len(published) == len(set(published)) == MAX_BATCH + 1
    assert bus.unstored == []  # each job was stored before its id was published
    assert len(store.query(JOBS, fields=["title"])) == MAX_BATCH + 1


def test_a_job_repeated_in_the_next_batch_is_a_duplicate(store) -> None:  # type: ignore[no-untyped-def]
    _repeat_across_batches(store, store)


def test_a_job_repeated_while_its_batch_is_written_is_a_duplicate(sqlite_store) -> None:  # type: ignore[no-untyped-def]
    """The next batch holds a job id still being written: it waits for that write."""
    _repeat_across_batches(sqlite_store, _Background(sqlite_store, delay=0.3))


def test_a_failed_background_write_fails_the_ingest(sqlite_store) -> None:  # type: ignore[no-untyped-def]
    """The second batch's write fails: the first batch is published, the second is not."""
    import pytest

    target = _Background(sqlite_store, fail_after=1)
    bus = _Checked(sqlite_store)
    with pytest.raises(RuntimeError, match="write failed"):
        _ingest(target, [bebity(n) for n in range(MAX_BATCH + 3)], bus=bus, claim="page-1")
    published = [i for e in bus.queue for i in e.message["job_ids"]]
    assert len(published) == MAX_BATCH and bus.unstored == []
    # the retry of the page (same claimant) stores the three whose keys the failure left
    retry, _ = _ingest(sqlite_store, [bebity(n) for n in range(MAX_BATCH + 3)], claim="page-1")
    assert (retry.inserted, retry.duplicates) == (3, MAX_BATCH)


def test_the_garbage_collector_is_left_as_it_was(sqlite_store) -> None:  # type: ignore[no-untyped-def]
    import gc

    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            report, _ = _ingest(sqlite_store, (bebity(n) for n in range(MAX_BATCH + 3)))
            assert report.received == MAX_BATCH + 3
            assert gc.isenabled() is enabled
        gc.enable()

        def failing():  # type: ignore[no-untyped-def]
            yield bebity(1)
            raise RuntimeError("reader failed")

        with pytest.raises(RuntimeError):
            _ingest(sqlite_store, failing())
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
