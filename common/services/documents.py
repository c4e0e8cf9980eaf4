"""Documents: for each matched job, a resume and cover letter in the object store, then
``applications-ready``.

Files go under ``applications/<application id>/`` with fixed names, so generating again
replaces them (and removes any file a previous version left there). What the fabrication
guard changed is stored on the application (``guard_events``) and logged.
"""

from __future__ import annotations

from datetime import date, timedelta

from common.clock import iso
from common.documents.content import build_content
from common.documents.model import ApplicationContent
from common.documents.render import RenderedFile, render_application
from common.documents.templates import Templates
from common.domain.analysis import Analysis
from common.domain.application import Application, ApplicationStatus
from common.domain.candidate import Profile
from common.domain.job import Job, JobStatus
from common.errors import NotFoundError, RetryableError
from common.events import APPLICATIONS_READY
from common.log_fields import emit
from common.logging import bound, get_logger
from common.ports import Clock, DocumentStore, DocumentWriter, MessageBus, ObjectStore
from common.store.collections import ANALYSES, APPLICATIONS, JOBS
from common.store.lease import ClaimState, run_once

log = get_logger("documents")
LEASE = timedelta(minutes=5)


def application_id(job_id: str) -> str:
    """One application per job: its id is derived from the job's."""
    return f"app-{job_id}"


def application_prefix(app_id: str) -> str:
    """Where an application's files live in the object store."""
    return f"applications/{app_id}/"


def make_documents(
    profile: Profile,
    job: Job | None,
    analysis: Analysis | None,
    *,
    templates: Templates,
    today: date,
    writer: DocumentWriter | None = None,
) -> tuple[ApplicationContent, list[RenderedFile]]:
    """The guarded content for ``job`` and its files (no storage involved)."""
    content = build_content(profile, job, analysis, today=today, writer=writer)
    for event in content.events:
        log.warning(
            "fabrication guard %s %s: %s",
            event.action,
            event.field,
            ", ".join(f"{v.kind} {v.value!r}" for v in event.violations) or "off target",
        )
    return content, render_application(content, templates)


def store_files(objects: ObjectStore, prefix: str, files: list[RenderedFile]) -> dict[str, str]:
    """Write ``files`` under ``prefix`` replacing what is there; returns kind -> key."""
    keys = {f.kind: prefix + f.filename for f in files}
    for f in files:
        objects.put(keys[f.kind], f.data, f.content_type)
    for stale in set(objects.list(prefix)) - set(keys.values()):
        objects.delete(stale)
    return keys


def generate_application(
    job_id: str,
    *,
    store: DocumentStore,
    objects: ObjectStore,
    bus: MessageBus,
    clock: Clock,
    profile: Profile,
    writer: DocumentWriter | None = None,
    force: bool = False,
) -> str:
    """Write the documents for ``job_id`` once (again with ``force``); returns what happened."""
    with bound(job_id=job_id):
        job_doc, analysis_doc = store.get(JOBS, job_id), store.get(ANALYSES, job_id)
        if job_doc is None or analysis_doc is None:
            raise NotFoundError(f"job {job_id} or its analysis does not exist")
        job, analysis = Job.from_doc(job_doc), Analysis.from_doc(analysis_doc)
        app_id = application_id(job_id)

        def work() -> dict[str, str]:
            now = clock.now()
            content, files = make_documents(
                profile,
                job,
                analysis,
                templates=Templates(objects),
                today=now.date(),
                writer=writer,
            )
            keys = store_files(objects, application_prefix(app_id), files)
            written = {
                "documents": keys,
                "guard_events": [e.to_doc() for e in content.events],
                "language": content.language,
                "writer": content.writer,
                "notes": content.notes,
            }
            existing = store.get(APPLICATIONS, app_id)
            if existing is not None and existing.get("status") != ApplicationStatus.DOCUMENTS:
                # regenerated after the application moved on: new files, same delivery state
                store.update(APPLICATIONS, app_id, {**written, "updated_at": iso(now)})
            else:
                app = Application(
                    id=app_id,
                    job_id=job.id,
                    company=job.company,
                    title=job.title,
                    score=analysis.score,
                    recipient=analysis.contact_email,
                    status=ApplicationStatus.PENDING,
                    created_at=now,
                    updated_at=now,
                )
                store.put(APPLICATIONS, app_id, {**app.to_doc(), **written})
            store.update(
                JOBS, job.id, {"status": JobStatus.DOCUMENTS_READY.value, "updated_at": iso(now)}
            )
            bus.publish(APPLICATIONS_READY, {"application_id": app_id})
            emit(
                log,
                "documents_written",
                "documents written for application %s",
                app_id,
                guard_events=len(content.events),
            )
            return {"application_id": app_id}

        if force:
            work()
            return "regenerated"
        state = run_once(store, f"documents:{job_id}", clock.now(), LEASE, work)
        if state is ClaimState.BUSY:
            raise RetryableError(f"documents for {job_id} are being written by another attempt")
        return "generated" if state is ClaimState.ACQUIRED else "already generated"
