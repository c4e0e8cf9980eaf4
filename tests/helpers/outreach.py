"""Synthetic applications ready to deliver: job, analysis, application and its documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.domain.analysis import Analysis, Decision
from common.domain.application import Application, ApplicationStatus
from common.domain.candidate import Profile
from common.domain.job import Job
from common.domain.preferences import Sending
from common.ports import Clock, DocumentStore, Mailer, ObjectStore
from common.store.collections import ANALYSES, APPLICATIONS, JOBS

PDF = b"%PDF-1.7\n% synthetic resume\n%%EOF\n"
DOCX = b"PK\x03\x04 synthetic docx"


def profile(email: str = "candidate@example.org", name: str = "Alex Example") -> Profile:
    """A minimal JSON Resume profile."""
    return Profile.model_validate({"basics": {"name": name, "email": email}})


def seed(
    store: DocumentStore,
    objects: ObjectStore,
    n: int,
    *,
    now: datetime,
    score: int = 90,
    company: str | None = None,
    title: str | None = None,
    recipient: str | None = None,
    repost_of: str | None = None,
    pdf: bool = True,
) -> str:
    """Store application ``n`` (status pending) and return its id."""
    job_id = f"job{n:05d}"
    company = company or f"Company {n}"
    title = title or f"Engineer {n}"
    recipient = recipient if recipient is not None else f"jobs{n}@company{n}.example.com"
    job = Job(id=job_id, title=title, company=company, repost_of=repost_of, emails=[recipient])
    analysis = Analysis(
        job_id=job_id,
        score=score,
        decision=Decision.APPLY,
        reasons=[f"reason {n}"],
        contact_email=recipient or None,
    )
    prefix = f"applications/app-{job_id}/"
    documents = {"letter_txt": prefix + "letter.txt", "resume_docx": prefix + "resume.docx"}
    objects.put(documents["letter_txt"], f"Dear {company} team,\n\nletter {n}.\n".encode())
    objects.put(documents["resume_docx"], DOCX)
    if pdf:
        documents["resume_pdf"] = prefix + "resume.pdf"
        objects.put(documents["resume_pdf"], PDF)
    app = Application(
        id=f"app-{job_id}",
        job_id=job_id,
        company=company,
        title=title,
        score=score,
        recipient=recipient or None,
        documents=documents,
        status=ApplicationStatus.PENDING,
        created_at=now,
    )
    store.put(JOBS, job_id, job.to_doc())
    store.put(ANALYSES, job_id, analysis.to_doc())
    store.put(APPLICATIONS, app.id, app.to_doc())
    return app.id


def deliver(
    app_id: str,
    store: DocumentStore,
    objects: ObjectStore,
    mailer: Mailer,
    clock: Clock,
    sending: Sending,
    **kw: Any,
) -> str:
    """``deliver_application`` for the synthetic candidate of :func:`profile`."""
    from common.services.outreach import deliver_application

    return deliver_application(
        app_id,
        store=store,
        objects=objects,
        mailer=mailer,
        clock=clock,
        profile=profile(),
        sending=sending,
        **kw,
    )
