"""Gathering the report's rows from the store."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from common.domain.analysis import shown_reasons
from common.ports import DocumentStore, ObjectStore
from common.services.replies import response_rates
from common.services.review import apply_url, where
from common.services.status import Status, current_status
from common.store.collections import ANALYSES, APPLICATIONS, JOBS

#: job states hidden until "show skipped and filtered" is ticked
HIDDEN_STATES = frozenset({"skipped", "filtered", "duplicate", "rejected"})


@dataclass
class JobRow:
    """One job as the report shows it (all text is untrusted and escaped when rendered)."""

    job_id: str
    title: str
    company: str
    url: str | None
    status: str
    score: int | None = None
    decision: str | None = None
    reasons: list[str] = field(default_factory=list)
    filtered_by: str | None = None
    documents: dict[str, str] = field(default_factory=dict)  # kind -> uri
    email: str | None = None  # where the email is: a file path or a mailbox id
    email_status: str | None = None
    location: str = ""
    source: str = ""
    posted: str | None = None
    apply_url: str | None = None
    contact: str | None = None  # why there is or is not an application address
    outcome: str | None = None

    @property
    def hidden(self) -> bool:
        """Skipped, filtered, duplicate and rejected jobs are hidden by default."""
        return self.status in HIDDEN_STATES


@dataclass
class ReportData:
    """Everything the report renders."""

    status: Status
    rows: list[JobRow]
    filter_reasons: Counter[str] = field(default_factory=Counter)  # rule -> jobs
    responses: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def scores(self) -> list[int]:
        """Every analysed job's score."""
        return [r.score for r in self.rows if r.score is not None]


def gather(store: DocumentStore, objects: ObjectStore) -> ReportData:
    """Jobs with their analysis and application, best score first."""
    analyses = dict(store.query(ANALYSES))
    applications = {doc["job_id"]: doc for _, doc in store.query(APPLICATIONS)}
    rows = []
    filters: Counter[str] = Counter()
    for job_id, job in store.query(JOBS):
        analysis = analyses.get(job_id, {})
        app = applications.get(job_id, {})
        if analysis.get("filtered_by"):
            filters[str(analysis["filtered_by"])] += 1
        rows.append(
            JobRow(
                job_id=job_id,
                title=str(job.get("title", "")),
                company=str(job.get("company", "")),
                url=job.get("job_url"),
                status=str(job.get("status", "")),
                score=analysis.get("score"),
                decision=analysis.get("decision"),
                reasons=shown_reasons(analysis.get("reasons", [])),
                filtered_by=analysis.get("filtered_by"),
                documents={
                    kind: objects.uri(key) for kind, key in app.get("documents", {}).items()
                },
                email=str(app["delivery"]) if app.get("delivery") else None,
                email_status=app.get("status"),
                location=where(job),
                source=str(job.get("source") or ""),
                posted=job.get("date_posted"),
                apply_url=apply_url(job),
                contact=app.get("reason")
                if app.get("status") == "no_contact"
                else (analysis.get("contact_note")),
                outcome=app.get("outcome"),
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.company, r.title))
    return ReportData(current_status(store), rows, filters, response_rates(store))
