"""Ingestion: raw items -> normalized jobs -> three-step dedup -> store -> ``jobs-ingested``.

Items are read lazily and handled in batches of at most ``MAX_BATCH`` (one batched write
each); new job ids are published in messages of ``PUBLISH_BATCH`` ids, once stored.

On a store that takes writes from another thread (``CONCURRENT_WRITES``: Firestore), a
batch's job documents are written while the next batch is read, normalized and deduplicated
(at most one write in flight; the next batch waits for it before storing its own, and before
anything else when it holds one of the job ids being written). The dedup keys are still
claimed before their jobs are stored, so a crash meanwhile leaves what a crash between
claiming and storing always left: keys of this claimant that its retry takes back.
"""

from __future__ import annotations

import gc
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from common.domain.job import Job
from common.events import JOBS_INGESTED
from common.log_fields import emit
from common.logging import get_logger
from common.normalize.registry import Identified, Rejection, identify, normalize_identified
from common.ports import MAX_BATCH, DocumentStore, MessageBus
from common.services.dedup import Deduper, Verdict
from common.store.collections import JOBS

log = get_logger("ingest")

#: job ids per ``jobs-ingested`` message
PUBLISH_BATCH = 100


@dataclass
class IngestReport:
    """Counts of one ingestion (``reposts`` are part of ``inserted``)."""

    received: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    reposts: int = 0

    def merge(self, other: IngestReport) -> None:
        """Add ``other``'s counts to these."""
        self.received += other.received
        self.inserted += other.inserted
        self.duplicates += other.duplicates
        self.rejected.update(other.rejected)
        self.reposts += other.reposts

    def to_dict(self) -> dict[str, Any]:
        """The four counts, ``rejected`` as reason -> count."""
        return {
            "received": self.received,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "rejected": dict(self.rejected),
        }


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size``, read lazily."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


@contextmanager
def _collector_per_batch() -> Iterator[Callable[[], object]]:
    """Keep the cyclic garbage collector from running in the middle of a batch.

    A batch's decoded items (a few thousand dicts and lists) live until the batch is done, so
    the collector, run by allocation counts, traversed them over and over (about 30 us of CPU
    per item, measured with ``gc.callbacks``) and found nothing. Here it is off while a batch
    is read and handled, and its youngest generation is collected after each batch, when those
    objects are gone; older generations are collected as usual once the ingest is over. When
    the collector was off already, it stays off and is not run. The switch is process-wide:
    another thread's cycles wait for the end of the current batch.
    """
    if not gc.isenabled():
        yield lambda: None
        return
    gc.disable()
    try:
        yield lambda: gc.collect(0)
    finally:
        gc.enable()


class _Writer:
    """Stores each batch's new jobs, then counts and publishes them; in the background (one
    write in flight) when the store allows it."""

    def __init__(self, store: DocumentStore, bus: MessageBus, report: IngestReport) -> None:
        self.store, self.bus, self.report = store, bus, report
        background = getattr(store, "CONCURRENT_WRITES", False)
        self._pool = ThreadPoolExecutor(1, "ingest-write") if background else None
        self._pending: tuple[Future[None], list[str], list[str]] | None = None

    def writing(self) -> Iterable[str]:
        """The ids of the jobs being written."""
        return self._pending[2] if self._pending else ()

    def store_and_publish(self, new: Mapping[str, Job], resumed: list[str]) -> None:
        """Write ``new`` (after the previous write is done), then publish it with ``resumed``."""
        self.finish()
        if new and self._pool is not None:
            self._pending = (self._pool.submit(self.store.put_many, JOBS, new), resumed, [*new])
            return
        if new:
            self.store.put_many(JOBS, new)
        self._publish(resumed, [*new])

    def finish(self) -> None:
        """Wait for the write in flight (raising its error), then publish what it stored."""
        if self._pending:
            future, resumed, written = self._pending
            self._pending = None
            future.result()
            self._publish(resumed, written)

    def close(self, *, failed: bool) -> None:
        """Finish the write in flight; when the ingest failed, only wait for it to end."""
        try:
            if failed and self._pending:
                wait([self._pending[0]])
                self._pending = None
            self.finish()
        finally:
            if self._pool is not None:
                self._pool.shutdown()

    def _publish(self, resumed: list[str], written: list[str]) -> None:
        self.report.inserted += len(written) + len(resumed)
        for ids in chunks([*resumed, *written], PUBLISH_BATCH):
            self.bus.publish(JOBS_INGESTED, {"job_ids": ids})


def _ingest_batch(
    chunk: list[Any],
    report: IngestReport,
    *,
    store: DocumentStore,
    writer: _Writer,
    now: datetime,
    actor: str | None,
    hint: str | None,
    run_id: str | None,
    resume: bool,
    deduper: Deduper,
) -> None:
    # the job id comes from the item alone: a stored job is a duplicate before any text of
    # it is cleaned, and its stored document is not read
    found: dict[str, tuple[dict[str, Any], Identified]] = {}
    for item in chunk:
        report.received += 1
        known = identify(item, actor, hint)
        if isinstance(known, Rejection):
            report.rejected[known.reason] += 1
        elif known.id in found:
            report.duplicates += 1
        else:
            found[known.id] = (item, known)
    if not found.keys().isdisjoint(writer.writing()):  # a job of this batch is being stored
        writer.finish()
    existing = store.existing(JOBS, found) if found else set()
    resumed: list[str] = []
    if resume and run_id and existing:  # a retried page republishes what this run stored
        stored = store.get_many(JOBS, existing)
        resumed = [jid for jid, doc in stored.items() if doc.get("run_id") == run_id]
    report.duplicates += len(existing) - len(resumed)
    fresh: list[Job] = []
    for jid, (item, known) in found.items():
        if jid in existing:
            continue
        job = normalize_identified(item, known, now)
        if isinstance(job, Rejection):
            report.rejected[job.reason] += 1
            continue
        job.run_id = run_id
        fresh.append(job)
    classified = deduper.classify(fresh)
    new = {job.id: job for job, verdict in classified if verdict is Verdict.NEW}
    report.duplicates += len(classified) - len(new)
    report.reposts += sum(1 for job, v in classified if v is Verdict.NEW and job.repost_of)
    writer.store_and_publish(new, resumed)


def ingest_items(
    items: Iterable[Any],
    *,
    store: DocumentStore,
    bus: MessageBus,
    now: datetime,
    actor: str | None = None,
    hint: str | None = None,
    run_id: str | None = None,
    resume: bool = False,
    claim: str | None = None,
    claimed_at: datetime | None = None,
) -> IngestReport:
    """Normalize, deduplicate and store ``items`` batch by batch; publish the new job ids.

    ``actor`` (``--source``) forces an actor's schemas; ``hint`` (the run's actor, when known)
    is evidence for them. ``now`` resolves relative posting dates (the run's finish time for
    a scraper run).
    ``resume``: this is a retry of the same ``run_id`` page, so jobs it already stored are
    published again (handlers downstream are idempotent) instead of counted as duplicates.
    ``claim`` names this attempt on the dedup keys (the same for retries of one run page; a
    fresh one by default) and ``claimed_at`` is the current time (default ``now``).
    """
    report = IngestReport()
    deduper = Deduper(store, claim or uuid.uuid4().hex, claimed_at or now)
    writer = _Writer(store, bus, report)
    failed = True
    try:
        with _collector_per_batch() as collect:
            for chunk in chunks(items, MAX_BATCH):
                _ingest_batch(
                    chunk,
                    report,
                    store=store,
                    writer=writer,
                    now=now,
                    actor=actor,
                    hint=hint,
                    run_id=run_id,
                    resume=resume,
                    deduper=deduper,
                )
                chunk.clear()  # its items are garbage now, not a load for the collector
                collect()
        failed = False
    finally:
        writer.close(failed=failed)
    emit(
        log,
        "ingest",
        "ingested %d items: %d new (%d reposts), %d duplicates, %d rejected",
        report.received,
        report.inserted,
        report.reposts,
        report.duplicates,
        sum(report.rejected.values()),
        received=report.received,
        inserted=report.inserted,
        duplicates=report.duplicates,
        rejected=sum(report.rejected.values()),
        reposts=report.reposts,
        run_id=run_id,
    )
    for reason, count in sorted(report.rejected.items()):
        emit(log, "ingest_rejected", "rejected %d: %s", count, reason, reason=reason, count=count)
    return report
