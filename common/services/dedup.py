"""Three-step dedup of a batch of jobs against the store, safe under concurrent ingests.

1. canonical URL, 2. company + title + location, 3. description fingerprint (a repost: stored
and linked with ``repost_of`` to the job it repeats, so its analysis can be reused).

Each key lives in its own index collection as ``{"job_id": owner}``, claimed with the store's
create-if-absent: of two concurrent ingests of the same posting exactly one creates the key,
the other sees the owner and counts a duplicate. A key owned by the job itself (a retry after
a crash between claiming and storing) does not make it a duplicate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum

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


class Deduper:
    """Classifies the jobs of one batch; ``workers`` > 1 claims keys in parallel threads
    (worth it for a networked store)."""

    def __init__(self, store: DocumentStore, workers: int = 1) -> None:
        self.store = store
        self.workers = max(1, workers)

    def _owners(self, jobs: list[Job]) -> dict[str, dict[str, str]]:
        owners: dict[str, dict[str, str]] = {}
        for collection, key_of in STEPS:
            ids = {key_id(k) for k in map(key_of, jobs) if k}
            docs = self.store.get_many(collection, ids) if ids else {}
            owners[collection] = {i: str(d.get("job_id")) for i, d in docs.items()}
        return owners

    def _claim(self, collection: str, kid: str, job_id: str) -> str:
        """Create the key for ``job_id``; the owner's id (``job_id`` when this call won)."""
        for _ in range(3):
            if self.store.create(collection, kid, {"job_id": job_id}):
                return job_id
            doc = self.store.get(collection, kid)
            if doc is not None:
                return str(doc.get("job_id"))
        return job_id

    def _map(self, fn: Callable[[tuple[str, str, str]], str], args: list[tuple[str, str, str]]):
        if self.workers == 1 or len(args) < 2:
            return [fn(a) for a in args]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(fn, args))

    def classify(self, jobs: Iterable[Job]) -> list[tuple[Job, Verdict]]:
        """Each job with its verdict; new reposts get ``repost_of`` set. Keys are claimed."""
        jobs = list(jobs)
        owners = self._owners(jobs)
        verdicts: dict[str, Verdict] = {}
        candidates: list[_Candidate] = []
        for job in jobs:  # decide in order against the store and the batch itself
            cand = _Candidate(job)
            duplicate = False
            for collection, key_of in STEPS:
                key = key_of(job)
                if not key:
                    continue
                kid = key_id(key)
                owner = owners[collection].get(kid)
                if owner is None or owner == job.id:
                    cand.keys[collection] = kid
                elif collection == _REPOST_STEP:
                    job.repost_of = owner
                else:
                    duplicate = True
                    break
            if duplicate:
                verdicts[job.id] = Verdict.DUPLICATE
                continue
            for collection, kid in cand.keys.items():
                owners[collection][kid] = job.id
            candidates.append(cand)
        claims = [(c, kid, cand.job.id) for cand in candidates for c, kid in cand.keys.items()]
        results = self._map(lambda a: self._claim(*a), claims)
        won: dict[tuple[str, str], str] = {
            (c, k): o for (c, k, _), o in zip(claims, results, strict=True)
        }
        for cand in candidates:
            job, lost = cand.job, False
            for collection, kid in cand.keys.items():
                owner = won[(collection, kid)]
                if owner == job.id:
                    continue
                if collection == _REPOST_STEP:
                    job.repost_of = owner
                else:
                    lost = True  # a concurrent ingest claimed it first
            if lost:
                for collection, kid in cand.keys.items():
                    if won[(collection, kid)] == job.id:
                        self.store.delete(collection, kid)
            verdicts[job.id] = Verdict.DUPLICATE if lost else Verdict.NEW
        return [(job, verdicts[job.id]) for job in jobs]
