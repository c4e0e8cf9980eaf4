"""Where everything stands: jobs and applications by state, and the pipeline's funnel."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from common.domain.application import ApplicationStatus
from common.domain.job import JobStatus
from common.ports import DocumentStore
from common.store.collections import APPLICATIONS, JOBS

_ANALYZED = {  # scored: a filtered job never is
    JobStatus.SKIPPED,
    JobStatus.REJECTED,
    JobStatus.REVIEW,
    JobStatus.MATCHED,
    JobStatus.DOCUMENTS_READY,
}
_MATCHED = {JobStatus.MATCHED, JobStatus.DOCUMENTS_READY}
_DELIVERED = {ApplicationStatus.WRITTEN, ApplicationStatus.DRAFTED, ApplicationStatus.SENT}
_HAS_DOCUMENTS = set(ApplicationStatus) - {ApplicationStatus.DOCUMENTS}


@dataclass
class Status:
    """Counts by state."""

    jobs: Counter[str] = field(default_factory=Counter)
    applications: Counter[str] = field(default_factory=Counter)

    def funnel(self) -> list[tuple[str, int]]:
        """found -> filtered -> analyzed -> matched -> documents -> emails."""

        def count(counter: Counter[str], states: set[Any]) -> int:
            return sum(n for state, n in counter.items() if state in {s.value for s in states})

        return [
            ("found", sum(self.jobs.values())),
            ("filtered", self.jobs.get(JobStatus.FILTERED.value, 0)),
            ("analyzed", count(self.jobs, _ANALYZED)),
            ("matched", count(self.jobs, _MATCHED)),
            ("documents", count(self.applications, _HAS_DOCUMENTS)),
            ("emails", count(self.applications, _DELIVERED)),
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe view."""
        return {
            "jobs": dict(sorted(self.jobs.items())),
            "applications": dict(sorted(self.applications.items())),
            "funnel": dict(self.funnel()),
        }


def current_status(store: DocumentStore) -> Status:
    """Count every job and application by its status."""
    status = Status()
    for _, doc in store.query(JOBS):
        status.jobs[str(doc.get("status", "unknown"))] += 1
    for _, doc in store.query(APPLICATIONS):
        status.applications[str(doc.get("status", "unknown"))] += 1
    return status
