"""Message handlers: one per topic, the same in a deployed function and on the local bus.

Each handler imports its own service when called, so a function loads only its stage's code
(cold start: about 30 ms less per function than importing all three stages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from common.events import APPLICATIONS_READY, JOBS_INGESTED, JOBS_MATCHED, require_ids
from common.runtime import Runtime

TopicHandler = Callable[[dict[str, Any], Runtime], Any]


def is_sweep(message: dict[str, Any]) -> bool:
    """``{"sweep": true}``: a scheduled tick, not work (see :func:`sweep_topic`)."""
    return message.get("sweep") is True


def sweep_topic(topic: str, rt: Runtime) -> dict[str, Any]:
    """Republish the stuck work of the stages that ``topic`` finishes (the scheduled sweep:
    each function sweeps its own topic, so it needs publish rights on that topic only)."""
    from common.services.sweep import sweep

    return {"swept": sweep(rt.store, rt.bus, rt.clock, topics=[topic]).to_dict()}


def on_jobs_ingested(message: dict[str, Any], rt: Runtime) -> Any:
    """``jobs-ingested``: analyze the jobs (``{"sweep": true}``: republish stuck ones)."""
    if is_sweep(message):
        return sweep_topic(JOBS_INGESTED, rt)
    from common.services.analyze import analyze_jobs

    return analyze_jobs(
        require_ids(message, "job_ids"),
        store=rt.store,
        bus=rt.bus,
        clock=rt.clock,
        analyzer=rt.analyzer,
        profile=rt.profile(),
        preferences=rt.settings.preferences,
        limits=rt.settings.gemini,
    )


def _document_ports(rt: Runtime) -> dict[str, Any]:
    """The ports the documents service takes, from the runtime."""
    return {
        "store": rt.store,
        "objects": rt.objects,
        "bus": rt.bus,
        "clock": rt.clock,
        "profile": rt.profile(),
        "writer": rt.writer,
    }


def write_documents(job_id: str, rt: Runtime, force: bool = False) -> str:
    """The documents of one job with the runtime's ports.

    When Gemini writes the letters (``documents.writer``), the guard checks every sentence it
    writes, and the template is used whenever the model cannot or may not.
    """
    from common.services.documents import generate_application

    return generate_application(job_id, force=force, **_document_ports(rt))


def write_many_documents(
    job_ids: list[str], rt: Runtime, force: bool = False, workers: int | None = None
) -> dict[str, str | Exception]:
    """:func:`write_documents` for several jobs (``autoapply generate``): a large batch is made
    by worker processes when the template writes the letters. Job id -> what happened or the
    error that stopped that job."""
    from common.services.documents import generate_applications

    return generate_applications(job_ids, force=force, workers=workers, **_document_ports(rt))


def on_jobs_matched(message: dict[str, Any], rt: Runtime) -> Any:
    """``jobs-matched``: write the application's documents (``{"sweep": true}``: republish
    stuck ones)."""
    if is_sweep(message):
        return sweep_topic(JOBS_MATCHED, rt)
    return {job_id: write_documents(job_id, rt) for job_id in require_ids(message, "job_ids")}


def send_digest(rt: Runtime) -> Any:
    """The digest of new matches to the candidate: a Gmail send in the cloud, an ``.eml`` in
    ``<data_dir>/digests`` locally (also used by ``autoapply digest`` and ``run``)."""
    from common.services.digest import send_digest as send

    settings = rt.settings
    if settings.backends.mailer == "gmail":
        mailer, mode = rt.mailer, "send"
    else:
        from common.adapters.mailer_outbox import OutboxMailer

        mailer, mode = OutboxMailer(settings.data_path / "digests"), "outbox"
    return send(
        store=rt.store,
        objects=rt.objects,
        mailer=mailer,
        clock=rt.clock,
        profile=rt.profile(),
        settings=settings.digest,
        mode=mode,
        daily_cap=settings.sending.daily_cap,
    )


def check_replies(rt: Runtime) -> Any:
    """Mark sent applications whose Gmail thread has an answer ``replied``."""
    from common.services.replies import check_replies as check

    if rt.settings.backends.mailer != "gmail":
        return {"checked": 0, "replied": [], "note": "replies are tracked with Gmail only"}
    return check(store=rt.store, mailer=rt.mailer, clock=rt.clock, profile=rt.profile())


#: scheduled ticks on ``applications-ready`` (Cloud Scheduler publishes ``{"<name>": true}``)
SCHEDULED: dict[str, Callable[[Runtime], Any]] = {
    "digest": send_digest,
    "replies": check_replies,
}


def on_applications_ready(message: dict[str, Any], rt: Runtime) -> Any:
    """``applications-ready``: deliver the application emails. ``{"sweep": true}`` (from a
    scheduler) republishes stuck ones, deferred ones whose time has come, and reconciles
    expired ``sending``; ``{"digest": true}`` sends the digest and ``{"replies": true}`` looks
    for answers (see :data:`SCHEDULED`)."""
    for name, tick in SCHEDULED.items():
        if message.get(name) is True:
            result = tick(rt)
            return result.__dict__ if hasattr(result, "__dict__") else result
    if is_sweep(message):
        return sweep_topic(APPLICATIONS_READY, rt)
    from common.services.outreach import deliver_application

    return {
        app_id: deliver_application(
            app_id,
            store=rt.store,
            objects=rt.objects,
            mailer=rt.mailer,
            clock=rt.clock,
            profile=rt.profile(),
            sending=rt.settings.sending,
        )
        for app_id in require_ids(message, "application_ids")
    }


HANDLERS: dict[str, TopicHandler] = {
    JOBS_INGESTED: on_jobs_ingested,
    JOBS_MATCHED: on_jobs_matched,
    APPLICATIONS_READY: on_applications_ready,
}
