"""An application: documents for one job and the email that carries them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from common.domain.base import Record


class ApplicationStatus(StrEnum):
    """The outbox state machine: pending -> sending -> sent / drafted / written / failed."""

    DOCUMENTS = "documents"  # documents being written
    PENDING = "pending"  # ready to deliver
    DEFERRED = "deferred"  # waits for the cap, cooldown or quiet hours
    SENDING = "sending"  # claimed by one delivery attempt (with a lease)
    WRITTEN = "written"  # .eml in the local outbox
    DRAFTED = "drafted"  # Gmail draft waiting for approval
    SENT = "sent"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"  # another application already went to this job or role
    NO_CONTACT = "no_contact"  # no verified application address
    FAILED = "failed"


class Outcome(StrEnum):
    """What came of a delivered application: ``replied`` is seen in Gmail, the rest you mark."""

    REPLIED = "replied"
    INTERVIEW = "interview"
    REJECTED = "rejected"
    OFFER = "offer"
    WITHDRAWN = "withdrawn"


#: outcomes that count as an answer from the employer (withdrawn is yours)
RESPONSES = frozenset({Outcome.REPLIED, Outcome.INTERVIEW, Outcome.REJECTED, Outcome.OFFER})


class Application(Record):
    """Everything needed to deliver one application exactly once."""

    id: str
    job_id: str
    company: str
    title: str
    score: int | None = None
    recipient: str | None = None
    subject: str | None = None
    message_id: str | None = None
    #: kind -> object key; kinds: resume_pdf, resume_docx, letter_pdf, letter_docx, letter_txt
    documents: dict[str, str] = Field(default_factory=dict)
    #: what the fabrication guard removed or replaced in the generated text (field, action,
    #: text, violations); empty when nothing was claimed beyond the profile
    guard_events: list[dict[str, Any]] = Field(default_factory=list)
    #: the letter's language (ISO 639-1), who wrote it ("template" or the model id) and why:
    #: a language fallback ("the posting is in Dutch, ..."), a model not used or rejected
    language: str = "en"
    writer: str = "template"
    notes: list[str] = Field(default_factory=list)
    status: ApplicationStatus = ApplicationStatus.DOCUMENTS
    delivery: str | None = None  # .eml path, draft id or message id
    error: str | None = None
    not_before: datetime | None = None  # a deferred application waits until then
    reason: str | None = None  # why it was deferred, drafted instead of sent, or skipped
    thread_id: str | None = None  # the Gmail thread of the sent message (replies land there)
    outcome: Outcome | None = None
    outcome_at: datetime | None = None
    digest_id: str | None = None  # the digest that listed it
    created_at: datetime | None = None
    updated_at: datetime | None = None
