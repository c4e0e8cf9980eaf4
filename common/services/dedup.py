"""Three-step dedup of a batch of jobs against the store, safe under concurrent ingests.

1. canonical URL, 2. company + title + location, 3. description fingerprint (a repost: stored
and linked with ``repost_of`` to the job it repeats, so its analysis can be reused).

Each key lives in its own index collection as ``{"job_id", "claim", "claimed_at"}``, claimed
with the store's create-if-absent: of two concurrent ingests of the same posting exactly one
creates the key, the other sees the owner and counts a duplicate. ``claim`` names the ingest
attempt (a run's page for a scraper run, so a retried page is the same claimant): a key this
claimant holds (a retry after a crash between claiming and storing) is not a duplicate, nor
is a key of the same job id left by another claimant more than ``STALE`` ago whose job was
never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from common.clock import iso, parse_iso
from common.domain.job import Job
from common.normalize.text import fingerprint
from common.ports import DocumentStore
from common.store.collections import JOB_FINGERPRINTS, JOB_KEYS, JOB_URLS

#: dedup steps in order: (index collection, key of a job)
STEPS: tuple[tuple[str, Callable[[Job], str | None]], ...] = (
    (JOB_URLS, lambda job: job.canonical_url),
    (JOB_KEYS, lambda job: fingerprint(job.company, job.title, job.location.display())),
    (JOB_FINGERPRINTS, lambda job: job.fingerprint),
)
_REPOST_STEP = JOB_FINGERPRINTS
#: a key claimed this long ago for a job that was never stored belongs to a dead attempt
STALE = timedelta(minutes=10)


class Verdict(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"


def key_id(value: str) -> str:
    """The document id of a dedup key (hashed: any text, bounded length)."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


@dataclass
class _Candidate:
    job: Job
    keys: dict[str, str] = field(default_factory=dict)  # collection -> key id to claim
    won: list[tuple[str, str]] = field(default_factory=list)  # keys claimed so far


class Deduper:
    """Classifies the jobs of batches for one claimant; ``workers`` > 1 claims keys in
    parallel threads (worth it for a networked store)."""

    def __init__(self, store: DocumentStore, claim: str, now: datetime, workers: int = 1) -> None:
        self.store = store
        self.claim = claim
        self.now = now
        self.workers = max(1, workers)

    def _owners(self, jobs: list[Job]) -> dict[str, dict[str, dict[str, Any]]]:
        owners: dict[str, dict[str, dict[str, Any]]] = {}
        for collection, key_of in STEPS:
            ids = {key_id(k) for k in map(key_of, jobs) if k}
            owners[collection] = self.store.get_many(collection, ids) if ids else {}
        return owners

    def _ours(self, owner: dict[str, Any] | None, job: Job) -> bool:
        """Whether ``job`` (not stored yet) may hold a key whose current record is ``owner``."""
        if owner is None:
            return True
        if owner.get("job_id") != job.id:
            return False
        if owner.get("claim") == self.claim:
            return True
        try:
            return parse_iso(str(owner.get("claimed_at"))) < self.now - STALE
        except ValueError:
            return True

    def _create(self, args: tuple[str, str, str]) -> dict[str, Any]:
        """Create the key for the job; the record that holds it afterwards."""
        collection, kid, job_id = args
        record = {"job_id": job_id, "claim": self.claim, "claimed_at": iso(self.now)}
        for _ in range(3):
            if self.store.create(collection, kid, record):
                return record
            current = self.store.get(collection, kid)
            if current is not None:
                return current
        return record

    def _map(self, args: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
        if self.workers == 1 or len(args) < 2:
            return [self._create(a) for a in args]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(self._create, args))

    def classify(self, jobs: Iterable[Job]) -> list[tuple[Job, Verdict]]:
        """Each job (none of them stored yet) with its verdict; new reposts get ``repost_of``.
        The keys of new jobs are claimed."""
        jobs = list(jobs)
        owners = self._owners(jobs)
        verdicts: dict[str, Verdict] = {}
        candidates: list[_Candidate] = []
        for job in jobs:  # decide in order against the store and the batch itself
            cand, duplicate = _Candidate(job), False
            for collection, key_of in STEPS:
                key = key_of(job)
                if not key:
                    continue
                kid = key_id(key)
                owner = owners[collection].get(kid)
                if self._ours(owner, job):
                    cand.keys[collection] = kid
                elif collection == _REPOST_STEP and owner and owner.get("job_id") != job.id:
                    job.repost_of = str(owner.get("job_id"))
                else:
                    duplicate = True
                    break
            if duplicate:
                verdicts[job.id] = Verdict.DUPLICATE
                continue
            for collection, kid in cand.keys.items():
                owners[collection][kid] = {"job_id": job.id, "claim": self.claim}
            candidates.append(cand)
        # claim in step order, stopping at the first key another claimant holds: like locks
        # taken in one global order, two claimants of one posting cannot both lose
        alive = candidates
        for collection, _ in STEPS:
            todo = [c for c in alive if collection in c.keys]
            records = self._map([(collection, c.keys[collection], c.job.id) for c in todo])
            lost: set[str] = set()
            for cand, record in zip(todo, records, strict=True):
                job = cand.job
                if self._ours(record, job):
                    cand.won.append((collection, cand.keys[collection]))
                elif collection == _REPOST_STEP and record.get("job_id") != job.id:
                    job.repost_of = str(record.get("job_id"))
                else:  # a concurrent ingest claimed it first: give back what this one took
                    lost.add(job.id)
                    for held_collection, kid in cand.won:
                        self.store.delete(held_collection, kid)
                    verdicts[job.id] = Verdict.DUPLICATE
            alive = [c for c in alive if c.job.id not in lost]
        for cand in alive:
            verdicts[cand.job.id] = Verdict.NEW
        return [(job, verdicts[job.id]) for job in jobs]
