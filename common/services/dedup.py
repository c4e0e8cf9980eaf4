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
    held: dict[str, dict[str, Any]] = field(default_factory=dict)  # collection -> its record,
    # for keys that already exist and this job may take (a retry's own, a dead attempt's)
    won: list[tuple[str, str]] = field(default_factory=list)  # keys claimed so far


class Deduper:
    """Classifies the jobs of batches for one claimant."""

    def __init__(self, store: DocumentStore, claim: str, now: datetime) -> None:
        self.store = store
        self.claim = claim
        self.now = now

    def _owners(self, keys: list[list[tuple[str, str]]]) -> dict[str, dict[str, dict[str, Any]]]:
        """The current record of every key (of every job), read in one go."""
        refs = [ref for job_keys in keys for ref in job_keys]
        owners: dict[str, dict[str, dict[str, Any]]] = {c: {} for c, _ in STEPS}
        for (collection, kid), record in (self.store.get_multi(refs) if refs else {}).items():
            owners[collection][kid] = record
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

    def _claim(self, collection: str, wanted: dict[str, str]) -> dict[str, dict[str, Any]]:
        """Create the keys ``wanted`` (key id -> job id) in bulk; the record that holds each
        key afterwards (this claimant's, or the one that was there first)."""
        stamp = iso(self.now)
        records = {
            kid: {"job_id": job_id, "claim": self.claim, "claimed_at": stamp}
            for kid, job_id in wanted.items()
        }
        created = self.store.create_many(collection, records) if records else set()
        taken = [kid for kid in records if kid not in created]
        if taken:
            records.update(self.store.get_many(collection, taken))
        return records

    def classify(self, jobs: Iterable[Job]) -> list[tuple[Job, Verdict]]:
        """Each job (none of them stored yet) with its verdict; new reposts get ``repost_of``.
        The keys of new jobs are claimed."""
        jobs = list(jobs)
        keys = [[(c, key_id(k)) for c, key_of in STEPS if (k := key_of(job))] for job in jobs]
        owners = self._owners(keys)
        verdicts: dict[str, Verdict] = {}
        candidates: list[_Candidate] = []
        for job, job_keys in zip(jobs, keys, strict=True):  # in order: store, then the batch
            cand, duplicate = _Candidate(job), False
            for collection, kid in job_keys:
                owner = owners[collection].get(kid)
                if self._ours(owner, job):
                    cand.keys[collection] = kid
                    if owner is not None:
                        cand.held[collection] = owner
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
        # taken in one global order, two claimants of one posting cannot both lose. Keys the
        # lookup showed taken are not created again (a batch meeting one would fail whole).
        alive = candidates
        for collection, _ in STEPS:
            todo = [c for c in alive if collection in c.keys]
            absent = {c.keys[collection]: c.job.id for c in todo if collection not in c.held}
            records = self._claim(collection, absent)
            records.update(
                (c.keys[collection], c.held[collection]) for c in todo if collection in c.held
            )
            lost: set[str] = set()
            for cand in todo:
                job, kid = cand.job, cand.keys[collection]
                record = records[kid]
                if self._ours(record, job):
                    cand.won.append((collection, kid))
                elif collection == _REPOST_STEP and record.get("job_id") != job.id:
                    job.repost_of = str(record.get("job_id"))
                else:  # a concurrent ingest claimed it first: give back what this one took
                    lost.add(job.id)
                    for held_collection, held in cand.won:
                        self.store.delete(held_collection, held)
                    verdicts[job.id] = Verdict.DUPLICATE
            alive = [c for c in alive if c.job.id not in lost]
        for cand in alive:
            verdicts[cand.job.id] = Verdict.NEW
        return [(job, verdicts[job.id]) for job in jobs]
