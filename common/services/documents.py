"""Documents: for each matched job, a resume and cover letter in the object store, then
``applications-ready``."""

from __future__ import annotations

from datetime import timedelta

from common.clock import iso
from common.documents.content import build_content
from common.documents.render_docx import letter_docx, letter_text, resume_docx
from common.domain.analysis import Analysis
from common.domain.application import Application, ApplicationStatus
from common.domain.candidate import Profile
from common.domain.job import Job, JobStatus
from common.errors import NotFoundError, RetryableError
from common.events import APPLICATIONS_READY
from common.logging import bound, get_logger
from common.ports import Clock, DocumentStore, MessageBus, ObjectStore
from common.store.collections import ANALYSES, APPLICATIONS, JOBS
from common.store.lease import ClaimState, run_once

log = get_logger("documents")
LEASE = timedelta(minutes=5)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def application_id(job_id: str) -> str:
    """One application per job: its id is derived from the job's."""
    return f"app-{job_id}"


def generate_application(
    job_id: str,
    *,
    store: DocumentStore,
    objects: ObjectStore,
    bus: MessageBus,
    clock: Clock,
    profile: Profile,
) -> str:
    """Write the documents for ``job_id`` once; returns what happened."""
    with bound(job_id=job_id):
        job_doc, analysis_doc = store.get(JOBS, job_id), store.get(ANALYSES, job_id)
        if job_doc is None or analysis_doc is None:
            raise NotFoundError(f"job {job_id} or its analysis does not exist")
        job, analysis = Job.from_doc(job_doc), Analysis.from_doc(analysis_doc)
        app_id = application_id(job_id)

        def work() -> dict[str, str]:
            content = build_content(profile, job, analysis)
            prefix = f"applications/{app_id}/"
            keys = {
                "resume_docx": prefix + "resume.docx",
                "letter_docx": prefix + "cover-letter.docx",
                "letter_txt": prefix + "cover-letter.txt",
            }
            objects.put(keys["resume_docx"], resume_docx(content), DOCX)
            objects.put(keys["letter_docx"], letter_docx(content), DOCX)
            objects.put(
                keys["letter_txt"], letter_text(content).encode(), "text/plain; charset=utf-8"
            )
            now = clock.now()
            app = Application(
                id=app_id,
                job_id=job.id,
                company=job.company,
                title=job.title,
                score=analysis.score,
                recipient=analysis.contact_email,
                documents=keys,
                status=ApplicationStatus.PENDING,
                created_at=now,
                updated_at=now,
            )
            store.put(APPLICATIONS, app_id, app.to_doc())
            store.update(
                JOBS, job.id, {"status": JobStatus.DOCUMENTS_READY.value, "updated_at": iso(now)}
            )
            bus.publish(APPLICATIONS_READY, {"application_id": app_id})
            log.info("documents written for %s at %s", job.title, job.company)
            return {"application_id": app_id}

        state = run_once(store, f"documents:{job_id}", clock.now(), LEASE, work)
        if state is ClaimState.BUSY:
            raise RetryableError(f"documents for {job_id} are being written by another attempt")
        return "generated" if state is ClaimState.ACQUIRED else "already generated"
