"""The result of scoring one job against the candidate."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from common.domain.base import Record

#: the reason of a job whose recipient only a person may choose; the why (``contact_note``)
#: is shown beside the contact, so every surface says it once
CONFIRM_RECIPIENT = "a person must confirm the recipient"


def shown_reasons(reasons: list[str]) -> list[str]:
    """Stored reasons as they are shown: an analysis written before the note left the reason
    ("a person must confirm the recipient: <note>") reads like a new one, its note being
    ``contact_note`` too."""
    out: list[str] = []
    for reason in map(str, reasons):
        if reason.startswith(f"{CONFIRM_RECIPIENT}: "):
            reason = CONFIRM_RECIPIENT
        if reason != CONFIRM_RECIPIENT or reason not in out:
            out.append(reason)
    return out


class Decision(StrEnum):
    """What to do with a job."""

    APPLY = "apply"
    REVIEW = "review"
    SKIP = "skip"


class Analysis(Record):
    """Score 0-100 with its reasons; ``filtered_by`` names the hard filter that stopped it."""

    job_id: str
    score: int = Field(ge=0, le=100)
    decision: Decision
    reasons: list[str] = Field(default_factory=list)
    filtered_by: str | None = None
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    seniority_fit: str | None = None
    red_flags: list[str] = Field(default_factory=list)
    #: the application address code allows to be sent to (never the model's choice)
    contact_email: str | None = None
    #: an application address only a person may choose (not on the employer's domain)
    contact_held: str | None = None
    #: why there is, or is not, an application address (shown in review, digest, status)
    contact_note: str | None = None
    llm_used: bool = False
    model: str | None = None
    fallback: str | None = None  # why the local scorer's analysis stands in for Gemini's
    profile_version: str | None = None
    created_at: datetime | None = None
