"""Three-step dedup of a batch of jobs against the store, safe under concurrent ingests.

1. canonical URL, 2. company + title + location, 3. description fingerprint (a repost: stored
and linked with ``repost_of`` to the job it repeats, so its analysis can be reused).

Each key lives in its own index collection as ``{"job_id", "claim", "claimed_at"}``, claimed
with the store's create-if-absent: of two concurrent ingests of the same posting exactly one
creates the key, the other sees the owner and counts a duplicate. ``claim`` names the ingest
attempt (a run's page for a scraper run, so a retried page is the same claimant): a key this
claimant holds (a retry after a crash between claiming and storing) is not a duplicate, nor
is a key left by another claimant more than ``STALE`` ago for a job that was never stored
(that attempt died between claiming and storing): such a key is taken over, in a transaction
that only succeeds while the key still holds that abandoned record, whichever job id it
names. Without this, a dead attempt would hide the posting from every later ingest.
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
from common.store.collections import JOB_FINGERPRINTS, JOB_KEYS, JOB_URLS, JOBS

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
    abandoned: dict[str, dict[str, Any]] = field(default_factory=dict)  # collection -> record
    # of a key a dead attempt claimed for another job it never stored (taken over)
    won: list[tuple[str, str]] = field(default_factory=list)  # keys claimed so far


class Deduper:
    """Classifies the jobs of batches for one claimant."""

    def __init__(self, store: DocumentStore, claim: str, now: datetime) -> None:
        self.store = store
        self.claim = claim
        self.now = now
        self._stored: set[str] = set()  # job ids named by stale keys that are stored

    def _owners(
        self, keys: list[list[tuple[str, str]]], job_ids: Iterable[str]
    ) -> dict[str, dict[str, dict[str, Any]]]:
        """The current record of every key (of every job), read in one go."""
        refs = [ref for job_keys in keys for ref in job_keys]
        owners: dict[str, dict[str, dict[str, Any]]] = {c: {} for c, _ in STEPS}
        for (collection, kid), record in (self.store.get_multi(refs) if refs else {}).items():
            owners[collection][kid] = record
        # the jobs that stale keys of other job ids name: stored (a duplicate) or not (dead)
        ids = set(job_ids)
        named = {
            str(o.get("job_id"))
            for by in owners.values()
            for o in by.values()
            if o.get("job_id") not in ids and self._stale(o)
        }
        self._stored = set(self.store.existing(JOBS, named)) if named else set()
        return owners

    def _stale(self, owner: dict[str, Any]) -> bool:
        """Claimed by another attempt more than STALE ago (or at an unreadable time)."""
        if owner.get("claim") == self.claim:
            return False
        try:
            return parse_iso(str(owner.get("claimed_at"))) < self.now - STALE
        except ValueError:
            return True

    def _ours(self, owner: dict[str, Any] | None, job: Job) -> bool:
        """Whether ``job`` (not stored yet) may hold a key whose current record is ``owner``."""
        if owner is None:
            return True
        if owner.get("job_id") != job.id:
            return False
        return owner.get("claim") == self.claim or self._stale(owner)

    def _abandoned(self, owner: dict[str, Any] | None, job: Job) -> bool:
        """A key another, dead attempt claimed for a different job it never stored."""
        return (
            owner is not None
            and owner.get("job_id") != job.id
            and str(owner.get("job_id")) not in self._stored
            and self._stale(owner)
        )

    def _take_over(self, collection: str, kid: str, was: dict[str, Any], job_id: str) -> None:
        """Replace the abandoned record ``was`` of key ``kid`` with this claimant's, unless
        someone changed the key meanwhile (then its new holder stands)."""
        mine = {"job_id": job_id, "claim": self.claim, "claimed_at": iso(self.now)}

        def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
            return mine if current == was else None

        self.store.transact(collection, kid, step)

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
        owners = self._owners(keys, (job.id for job in jobs))
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
                elif self._abandoned(owner, job):
                    cand.keys[collection] = kid
                    cand.abandoned[collection] = owner  # type: ignore[assignment]
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
            held = {c.keys[collection]: c.held[collection] for c in todo if collection in c.held}
            dead = [c for c in todo if collection in c.abandoned]
            for cand in dead:
                self._take_over(
                    collection, cand.keys[collection], cand.abandoned[collection], cand.job.id
                )
            absent = {
                c.keys[collection]: c.job.id
                for c in todo
                if collection not in c.held and collection not in c.abandoned
            }
            records = self._claim(collection, absent)
            records.update(held)
            if dead:  # whoever holds a taken-over key now: this claimant, or a faster one
                kids = {c.keys[collection]: c.job.id for c in dead}
                records.update(self.store.get_many(collection, list(kids)))
                gone = {kid: jid for kid, jid in kids.items() if kid not in records}
                records.update(self._claim(collection, gone) if gone else {})
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
