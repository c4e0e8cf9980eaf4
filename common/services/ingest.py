"""Ingestion: raw items -> normalized jobs -> dedup -> store -> ``jobs-ingested``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from common.domain.job import Job
from common.events import JOBS_INGESTED
from common.logging import get_logger
from common.normalize import Rejection, normalize
from common.ports import MAX_BATCH, DocumentStore, MessageBus
from common.store.collections import JOBS

log = get_logger("ingest")

#: job ids per ``jobs-ingested`` message
PUBLISH_BATCH = 100


@dataclass
class IngestReport:
    """Counts of one ingestion."""

    received: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    job_ids: list[str] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        """Add the counts of ``other`` to these."""
        self.received += other.received
        self.inserted += other.inserted
        self.duplicates += other.duplicates
        self.rejected.update(other.rejected)
        self.job_ids.extend(other.job_ids)

    def to_dict(self) -> dict[str, Any]:
        """The four counts, ``rejected`` as reason -> count."""
        return {
            "received": self.received,
            "inserted": self.inserted,
            "duplicates": self.duplicates,
            "rejected": dict(self.rejected),
        }


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def ingest_items(
    items: Iterable[Any],
    *,
    store: DocumentStore,
    bus: MessageBus,
    now: datetime,
    actor: str | None = None,
    run_id: str | None = None,
) -> IngestReport:
    """Normalize, deduplicate and store ``items`` batch by batch; publish the new job ids."""
    report = IngestReport()
    for chunk in _chunks(items, MAX_BATCH):
        fresh: dict[str, Job] = {}
        for item in chunk:
            report.received += 1
            result = normalize(item, now, actor)
            if isinstance(result, Rejection):
                report.rejected[result.reason] += 1
                continue
            result.run_id = run_id
            if result.id in fresh:
                report.duplicates += 1
                continue
            fresh[result.id] = result
        existing = store.get_many(JOBS, fresh)
        new = {jid: job for jid, job in fresh.items() if jid not in existing}
        report.duplicates += len(fresh) - len(new)
        if new:
            store.put_many(JOBS, {jid: job.to_doc() for jid, job in new.items()})
            report.inserted += len(new)
            report.job_ids.extend(new)
            for ids in _chunks(new, PUBLISH_BATCH):
                bus.publish(JOBS_INGESTED, {"job_ids": ids})
    log.info(
        "ingested %d items: %d new, %d duplicates, %d rejected",
        report.received,
        report.inserted,
        report.duplicates,
        sum(report.rejected.values()),
    )
    return report
