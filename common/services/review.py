"""Review: the jobs code would not apply to on its own, and the drafts waiting for you.

* :func:`review_queue` lists jobs in the review band (with the reason they are there: the
  score, a recipient a person must confirm, a posting that asks for copies or talks to an AI)
  and drafted applications, with their apply link, best score first.
* :func:`approve_job` moves a review-band job on as a match (documents, then a draft or a
  send per ``sending.mode``), optionally to an application address of the posting that code
  held back; :func:`reject_job` drops it. Both record your judgement as a label.
* Drafted applications are approved and rejected by ``common.services.outreach``.
"""

from __future__ import annotations

from typing import Any, Literal

from common.analysis.recipients import Kind, classify
from common.clock import iso
from common.domain.analysis import shown_reasons
from common.domain.job import Job, JobStatus
from common.errors import NotFoundError, ValidationError
from common.events import JOBS_MATCHED
from common.ports import Clock, DocumentStore, MessageBus, Where
from common.services.outreach import waiting_for_review
from common.services.ranking import record_label
from common.store.collections import ANALYSES, APPLICATIONS, JOBS


def apply_url(job: dict[str, Any]) -> str | None:
    """Where to apply by hand: the direct apply link, else the posting's URL."""
    return job.get("job_url_direct") or job.get("job_url")


def where(job: dict[str, Any]) -> str:
    """``City, State, Country`` of a stored job, ``(remote)`` when it says so."""
    location = job.get("location") or {}
    place = ", ".join(str(location[k]) for k in ("city", "state", "country") if location.get(k))
    if job.get("is_remote"):
        return f"{place} (remote)" if place else "remote"
    return place


def review_queue(store: DocumentStore) -> list[dict[str, Any]]:
    """Review-band jobs and drafted applications, best score first."""
    jobs = store.query(JOBS, [Where("status", "==", JobStatus.REVIEW.value)])
    analyses = store.get_many(ANALYSES, [job_id for job_id, _ in jobs])
    rows: list[dict[str, Any]] = []
    for job_id, job in jobs:
        analysis = analyses.get(job_id, {})
        rows.append(
            {
                "id": job_id,
                "kind": "job",
                "title": job.get("title"),
                "company": job.get("company"),
                "score": analysis.get("score"),
                "reasons": [
                    *shown_reasons(analysis.get("reasons", [])),
                    *analysis.get("red_flags", []),
                ],
                "to": analysis.get("contact_email") or analysis.get("contact_held"),
                "note": analysis.get("contact_note"),
                "apply_url": apply_url(job),
            }
        )
    drafts = waiting_for_review(store)
    draft_jobs = store.get_many(JOBS, [d["job_id"] for d in drafts])
    for draft in drafts:
        job = draft_jobs.get(draft["job_id"], {})
        rows.append(
            {
                "id": draft["id"],
                "kind": "draft",
                "title": draft["title"],
                "company": draft["company"],
                "score": draft["score"],
                "reasons": draft["reasons"],
                "to": draft["recipient"],
                "note": draft["note"],
                "apply_url": apply_url(job),
            }
        )
    return sorted(rows, key=lambda r: -(r["score"] or 0))


def resolve(store: DocumentStore, item_id: str) -> Literal["application", "job"]:
    """Whether ``item_id`` (from ``autoapply review``) names an application or a job."""
    if store.get(APPLICATIONS, item_id) is not None:
        return "application"
    if store.get(JOBS, item_id) is not None:
        return "job"
    raise NotFoundError(
        f"{item_id} is neither a job nor an application; `autoapply review` lists the ids",
        field="id",
    )


def _review_job(store: DocumentStore, job_id: str) -> tuple[Job, dict[str, Any]]:
    doc, analysis = store.get(JOBS, job_id), store.get(ANALYSES, job_id)
    if doc is None or analysis is None:
        raise NotFoundError(f"job {job_id} or its analysis does not exist", field="id")
    return Job.from_doc(doc), analysis


def approve_job(
    job_id: str,
    *,
    store: DocumentStore,
    bus: MessageBus,
    clock: Clock,
    to: str | None = None,
) -> str:
    """Treat a review-band job as a match: its documents are written and it is drafted or
    sent per the mode. ``to`` picks an application address of this posting that code held
    back; code still refuses any address the posting does not give for applications."""
    job, analysis = _review_job(store, job_id)
    if job.status in (JobStatus.MATCHED, JobStatus.DOCUMENTS_READY):
        return "already approved"
    if job.status not in (JobStatus.REVIEW, JobStatus.REJECTED, JobStatus.SKIPPED):
        raise ValidationError(
            f"job {job_id} is {job.status.value}; only a reviewed job can be approved", field="id"
        )
    recipient = analysis.get("contact_email")
    if to:
        found = [f for f in classify(job) if f.kind is Kind.APPLICATION]
        allowed = [a for f in found for a in (f.address, f.unglued) if a]
        wanted = to.strip().lower()
        if wanted not in allowed:
            offered = ", ".join(allowed) or "none"
            raise ValidationError(
                f"--to {to}: not an application address of this posting (it gives: {offered})",
                field="to",
            )
        recipient = wanted
    now = clock.now()
    reasons = [*analysis.get("reasons", []), "approved by you in review"]
    store.update(
        ANALYSES,
        job_id,
        {"decision": "apply", "contact_email": recipient, "reasons": reasons},
    )
    store.update(JOBS, job_id, {"status": JobStatus.MATCHED.value, "updated_at": iso(now)})
    record_label(store, job_id, True, "approve", clock)
    bus.publish(JOBS_MATCHED, {"job_id": job_id})
    return "approved"


def reject_job(job_id: str, *, store: DocumentStore, clock: Clock) -> str:
    """Drop a review-band job; your judgement is kept as a label."""
    job, _ = _review_job(store, job_id)
    if job.status not in (JobStatus.REVIEW, JobStatus.REJECTED):
        raise ValidationError(
            f"job {job_id} is {job.status.value}; only a job in review can be rejected "
            "(reject its application instead)",
            field="id",
        )
    store.update(JOBS, job_id, {"status": JobStatus.REJECTED.value, "updated_at": iso(clock.now())})
    record_label(store, job_id, False, "reject", clock)
    return "rejected"
