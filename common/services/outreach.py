"""Outreach: compose the application email and deliver it exactly once.

Walking-skeleton version: the outbox mode only, no caps yet. The recipient is only the
address that analysis verified from the posting.
"""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from common.clock import iso
from common.domain.application import Application, ApplicationStatus
from common.domain.candidate import Profile
from common.errors import NotFoundError, RetryableError
from common.logging import bound, get_logger
from common.ports import Clock, DocumentStore, Mailer, ObjectStore
from common.store.collections import APPLICATIONS
from common.store.lease import ClaimState, run_once

log = get_logger("outreach")
LEASE = timedelta(minutes=5)


def message_id(app_id: str) -> str:
    """A deterministic Message-ID per application."""
    return f"<{app_id}@autoapply.local>"


def compose(app: Application, profile: Profile, objects: ObjectStore) -> EmailMessage:
    """The MIME message: the letter as the body, the resume attached."""
    msg = EmailMessage()
    sender = profile.basics.email or "candidate@localhost"
    msg["From"] = formataddr((profile.basics.name, sender))
    msg["To"] = app.recipient or ""
    msg["Subject"] = f"Application: {app.title}"
    msg["Message-ID"] = message_id(app.id)
    msg["Date"] = formatdate(localtime=False)
    msg.set_content(objects.get(app.documents["letter_txt"]).decode())
    resume = objects.get(app.documents["resume_docx"])
    filename = f"{profile.basics.name.replace(' ', '_')}_resume.docx"
    msg.add_attachment(
        resume,
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename=filename,
    )
    return msg


def deliver_application(
    app_id: str,
    *,
    store: DocumentStore,
    objects: ObjectStore,
    mailer: Mailer,
    clock: Clock,
    profile: Profile,
    mode: str,
) -> str:
    """Deliver ``app_id`` at most once; returns its final status."""
    with bound(application_id=app_id):
        doc = store.get(APPLICATIONS, app_id)
        if doc is None:
            raise NotFoundError(f"application {app_id} does not exist")
        app = Application.from_doc(doc)
        result: dict[str, str] = {}

        def work() -> dict[str, str]:
            now = iso(clock.now())
            if not app.recipient:
                store.update(
                    APPLICATIONS,
                    app_id,
                    {"status": ApplicationStatus.NO_CONTACT.value, "updated_at": now},
                )
                log.info("no verified application address; kept for review")
                result["status"] = ApplicationStatus.NO_CONTACT.value
                return result
            msg = compose(app, profile, objects)
            found = mailer.find_sent(message_id=msg["Message-ID"])
            delivered = (
                found or mailer.deliver(bytes(msg), message_id=msg["Message-ID"], mode=mode).locator
            )
            status = (
                ApplicationStatus.WRITTEN
                if mode == "outbox"
                else (ApplicationStatus.DRAFTED if mode == "draft" else ApplicationStatus.SENT)
            )
            store.update(
                APPLICATIONS,
                app_id,
                {
                    "status": status.value,
                    "delivery": delivered,
                    "subject": msg["Subject"],
                    "message_id": msg["Message-ID"],
                    "updated_at": now,
                },
            )
            log.info("application %s: %s", status.value, delivered)
            result["status"] = status.value
            return result

        state = run_once(store, f"deliver:{app_id}", clock.now(), LEASE, work)
        if state is ClaimState.BUSY:
            raise RetryableError(f"application {app_id} is being delivered by another attempt")
        return result.get("status", "already delivered")
