"""The candidate's judgements of jobs, kept as labels for the ranker's learning.

``approve`` is a good label, ``reject`` a bad one. This is the one function every command
calls; the ranker owns what it learns from them (one document per job, the last word wins).
"""

from __future__ import annotations

from common.ports import DocumentStore
from common.store.collections import LABELS


def record_label(store: DocumentStore, job_id: str, good: bool, source: str) -> None:
    """Record that the candidate judged ``job_id`` good or bad (``source``: approve, reject)."""
    store.put(LABELS, job_id, {"job_id": job_id, "good": good, "source": source})
