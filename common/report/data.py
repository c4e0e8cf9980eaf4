"""Gathering the report's rows from the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.ports import DocumentStore, ObjectStore
from common.services.status import Status, current_status
from common.store.collections import ANALYSES, APPLICATIONS, JOBS


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
    email: str | None = None  # uri or mailbox id
    email_status: str | None = None


@dataclass
class ReportData:
    """Everything the report renders."""

    status: Status
    rows: list[JobRow]

    def scores(self) -> list[int]:
        """Every analysed job's score."""
        return [r.score for r in self.rows if r.score is not None]


def _uri(value: str) -> str:
    return value if "://" in value else f"file://{value}" if value.startswith("/") else value


def gather(store: DocumentStore, objects: ObjectStore) -> ReportData:
    """Jobs with their analysis and application, best score first."""
    analyses = dict(store.query(ANALYSES))
    applications = {doc["job_id"]: doc for _, doc in store.query(APPLICATIONS)}
    rows = []
    for job_id, job in store.query(JOBS):
        analysis = analyses.get(job_id, {})
        app = applications.get(job_id, {})
        rows.append(
            JobRow(
                job_id=job_id,
                title=str(job.get("title", "")),
                company=str(job.get("company", "")),
                url=job.get("job_url"),
                status=str(job.get("status", "")),
                score=analysis.get("score"),
                decision=analysis.get("decision"),
                reasons=[str(r) for r in analysis.get("reasons", [])],
                filtered_by=analysis.get("filtered_by"),
                documents={
                    kind: objects.uri(key) for kind, key in app.get("documents", {}).items()
                },
                email=_uri(app["delivery"]) if app.get("delivery") else None,
                email_status=app.get("status"),
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.company, r.title))
    return ReportData(current_status(store), rows)
