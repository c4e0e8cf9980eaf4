"""Documents: for each matched job, a resume and cover letter in the object store, then
``applications-ready``.

Files go under ``applications/<application id>/`` with fixed names, so generating again
replaces them (and removes any file a previous version left there). What the fabrication
guard changed is stored on the application (``guard_events``) and logged.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from common.clock import iso
from common.documents.content import build_content
from common.documents.guard import GuardEvent
from common.documents.model import ApplicationContent
from common.documents.render import RenderedFile, render_application
from common.documents.templates import DEFAULTS, Templates
from common.domain.analysis import Analysis
from common.domain.application import Application, ApplicationStatus
from common.domain.candidate import Profile
from common.domain.job import Job, JobStatus
from common.errors import NotFoundError, RetryableError
from common.events import APPLICATIONS_READY
from common.log_fields import emit
from common.logging import bound, get_logger
from common.ports import Clock, Doc, DocumentStore, DocumentWriter, MessageBus, ObjectStore
from common.store.collections import ANALYSES, APPLICATIONS, JOBS
from common.store.lease import ClaimState, is_done, run_once

log = get_logger("documents")
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Made:
    """What a worker process made for one application: what the record keeps of its content
    (the guard's events, the letter's language, who wrote it, the notes; the content itself
    stays in the worker) and either its files or, when the worker wrote them to the object
    store itself, their keys."""

    events: list[GuardEvent]
    language: str
    writer: str
    notes: list[str]
    files: list[RenderedFile]
    keys: dict[str, str] | None = None

    @classmethod
    def of(
        cls, content: ApplicationContent, files: list[RenderedFile], keys: dict[str, str] | None
    ) -> Made:
        return cls(content.events, content.language, content.writer, content.notes, files, keys)


@dataclass(frozen=True)
class _Ports:
    """Where the documents service reads and writes."""

    store: DocumentStore
    objects: ObjectStore
    bus: MessageBus
    clock: Clock


#: fewer jobs than this are written in this process (starting workers costs about a second)
POOL_MIN_JOBS = 16
#: applications handed to the pool ahead of the one being written, per worker
AHEAD_PER_WORKER = 8


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
    """The guarded content for ``job`` and its files (no storage involved); the guard's
    changes are logged."""
    content, files = _make(profile, job, analysis, templates, today, writer)
    log_guard_events(content.events)
    return content, files


def _make(
    profile: Profile,
    job: Job | None,
    analysis: Analysis | None,
    templates: Templates,
    today: date,
    writer: DocumentWriter | None = None,
) -> tuple[ApplicationContent, list[RenderedFile]]:
    """:func:`make_documents` without logging (a worker's are logged by the batch)."""
    content = build_content(profile, job, analysis, today=today, writer=writer)
    return content, render_application(content, templates)


def log_guard_events(events: list[GuardEvent]) -> None:
    """One warning per sentence the fabrication guard changed."""
    for event in events:
        log.warning(
            "fabrication guard %s %s: %s",
            event.action,
            event.field,
            ", ".join(f"{v.kind} {v.value!r}" for v in event.violations) or "off target",
        )


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
    return _generate(job_id, _Ports(store, objects, bus, clock), profile, writer, force)


def _generate(
    job_id: str,
    ports: _Ports,
    profile: Profile,
    writer: DocumentWriter | None,
    force: bool,
    rendered: Callable[[date], Made | None] | None = None,
    docs: tuple[Doc, Doc] | None = None,
) -> str:
    """:func:`generate_application`; ``docs``, when given, are the job and its analysis as
    the batch read them (else they are read here).

    ``rendered(today)``, when given, supplies what was made elsewhere (by
    :func:`generate_applications`' worker processes) for that day: the files, or the keys of
    the files the worker wrote (a forced regeneration only); ``None`` means make them here.
    The lease, the records and the bus stay in this process either way.
    """
    store, objects, bus, clock = ports.store, ports.objects, ports.bus, ports.clock
    with bound(job_id=job_id):
        job_doc, analysis_doc = docs or (store.get(JOBS, job_id), store.get(ANALYSES, job_id))
        if job_doc is None or analysis_doc is None:
            raise NotFoundError(f"job {job_id} or its analysis does not exist")
        job, analysis = Job.from_doc(job_doc), Analysis.from_doc(analysis_doc)
        app_id = application_id(job_id)

        def work() -> dict[str, str]:
            now = clock.now()
            made = rendered(now.date()) if rendered is not None else None
            if made is not None:
                log_guard_events(made.events)
            else:
                content, files = make_documents(
                    profile,
                    job,
                    analysis,
                    templates=Templates(objects),
                    today=now.date(),
                    writer=writer,
                )
                made = Made.of(content, files, None)
            keys = made.keys
            if keys is None:
                keys = store_files(objects, application_prefix(app_id), made.files)
            written = {
                "documents": keys,
                "guard_events": [e.to_doc() for e in made.events],
                "language": made.language,
                "writer": made.writer,
                "notes": made.notes,
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
                guard_events=len(made.events),
            )
            return {"application_id": app_id}

        if force:
            work()
            return "regenerated"
        state = run_once(store, _claim_key(job_id), clock.now(), LEASE, work)
        if state is ClaimState.BUSY:
            raise RetryableError(f"documents for {job_id} are being written by another attempt")
        return "generated" if state is ClaimState.ACQUIRED else "already generated"


# --- several applications at once: content and rendering in worker processes -------------

#: in a worker process: the profile and the templates' bytes of the batch
_worker: dict[str, object] = {}


class _FixedTemplates(Templates):
    """The templates read by the parent process for the batch (a worker has no store)."""

    def __init__(self, data: dict[str, bytes]) -> None:
        super().__init__(None)
        self.data = data

    def get(self, name: str) -> bytes:
        return self.data[name]


def _start_worker(
    profile: Profile, templates: dict[str, bytes], objects: ObjectStore | None = None
) -> None:
    # the pool has a process per core already: typst compiles on this thread alone (set
    # before its first compile; its worker threads only waited for a core here)
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    _worker["profile"], _worker["templates"] = profile, _FixedTemplates(templates)
    _worker["objects"] = objects


def _render_in_worker(job_doc: Doc, analysis_doc: Doc, today: date) -> Made | None:
    """What the record keeps of the content, and the files (written to the object store when
    the batch gave it), or None when they fail (the parent then makes them itself, and
    reports the error as a single application would)."""
    profile, templates = _worker["profile"], _worker["templates"]
    assert isinstance(profile, Profile) and isinstance(templates, Templates)
    objects = cast("ObjectStore | None", _worker.get("objects"))
    try:
        job, analysis = Job.from_doc(job_doc), Analysis.from_doc(analysis_doc)
        content, files = _make(profile, job, analysis, templates, today)
        if objects is None:
            return Made.of(content, files, None)
        prefix = application_prefix(application_id(job.id))
        return Made.of(content, [], store_files(objects, prefix, files))
    except Exception:
        return None


def pool_size(jobs: int, workers: int | None = None) -> int:
    """Worker processes for a batch of ``jobs``: one per core (at most 4), none (write them
    here) for a small batch or a single core."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    return workers if workers > 1 and jobs >= POOL_MIN_JOBS else 0


def generate_applications(
    job_ids: Iterable[str],
    *,
    store: DocumentStore,
    objects: ObjectStore,
    bus: MessageBus,
    clock: Clock,
    profile: Profile,
    writer: DocumentWriter | None = None,
    force: bool = False,
    workers: int | None = None,
    on_done: Callable[[str, str | Exception], None] | None = None,
) -> dict[str, str | Exception]:
    """:func:`generate_application` for each of ``job_ids`` (duplicates once); returns job id ->
    what happened, or the error that stopped that job (the others go on).

    With more than one core and a batch of at least :data:`POOL_MIN_JOBS`, the content and the
    files (CPU only, typst holds the GIL) are made by a pool of worker processes ahead of time;
    this process keeps the store, the lease, the object store and the bus, and writes the
    applications one by one, in order, each exactly as :func:`generate_application` does. A
    job already generated (without ``force``) is not written again; what its worker made is
    dropped. The templates are read once for the batch. A model writer (Gemini) is a network
    client of this process: with one, every job is written here.
    """
    ids = list(dict.fromkeys(job_ids))
    size = pool_size(len(ids), workers) if writer is None else 0
    results: dict[str, str | Exception] = {}
    ports = _Ports(store, objects, bus, clock)

    def one(
        job_id: str,
        rendered: Callable[[date], Made | None] | None,
        docs: tuple[Doc, Doc] | None = None,
    ) -> None:
        try:
            results[job_id] = _generate(job_id, ports, profile, writer, force, rendered, docs)
        except Exception as exc:  # reported per job, like one message each
            results[job_id] = exc
        if on_done is not None:
            on_done(job_id, results[job_id])

    if not size:
        for job_id in ids:
            one(job_id, None)
        return results
    templates = Templates(objects)
    data = {name: templates.get(name) for name in DEFAULTS}
    today = clock.now().date()
    # a forced regeneration replaces the files whatever their state, so the workers may write
    # them (when the object store can be handed to them: a folder); otherwise this process
    # writes them once it holds the job's lease
    shared = _portable(objects) if force else None
    context = multiprocessing.get_context("spawn")  # typst's threads do not survive a fork
    with ProcessPoolExecutor(
        size, mp_context=context, initializer=_start_worker, initargs=(profile, data, shared)
    ) as pool:
        futures: dict[str, tuple[Future[Made | None], tuple[Doc, Doc]]] = {}
        ahead = iter(ids)  # the jobs not yet handed to the pool
        broken = False

        def submit(until: int) -> None:
            """Hand jobs to the pool until ``until`` are waiting (the files of an application
            are about 75 kB: the pool runs only a few applications ahead of the writing)."""
            nonlocal broken
            while not broken and len(futures) < until:
                job_id = next(ahead, None)
                if job_id is None:
                    return
                if not force and already_generated(store, job_id):
                    continue
                job_doc, analysis_doc = store.get(JOBS, job_id), store.get(ANALYSES, job_id)
                if job_doc is None or analysis_doc is None:
                    continue  # _generate reports it
                try:  # the documents as read (small dicts): read once, sent as they are
                    future = pool.submit(_render_in_worker, job_doc, analysis_doc, today)
                except BrokenExecutor:  # a worker died: the rest are made here
                    broken = True
                else:
                    futures[job_id] = (future, (job_doc, analysis_doc))

        for job_id in ids:
            submit(AHEAD_PER_WORKER * size)
            handed = futures.pop(job_id, None)
            if handed is None:
                one(job_id, None)
                continue
            future, docs = handed

            def made(day: date, future: Future[Made | None] = future) -> Made | None:
                # made for the batch's day; on another day (past midnight), or when the pool
                # broke (a worker died), make them here
                if day != today:
                    return None
                try:
                    return future.result()
                except BrokenExecutor:
                    return None

            one(job_id, made, docs)
    return results


def _portable(objects: ObjectStore) -> ObjectStore | None:
    """``objects`` if a worker process can use it (it says so: a local folder), else None."""
    if not getattr(objects, "shared_across_processes", False):
        return None
    try:
        pickle.dumps(objects)
    except Exception:
        return None
    return objects


def already_generated(store: DocumentStore, job_id: str) -> bool:
    """Whether the documents of ``job_id`` were written (its lease is complete)."""
    return is_done(store, _claim_key(job_id))


def _claim_key(job_id: str) -> str:
    """The lease that makes writing ``job_id``'s documents happen once."""
    return f"documents:{job_id}"
