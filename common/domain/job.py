"""The normalized job record, modelled on JobSpy's ``JobPost``."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from common.domain.base import Record

Interval = Literal["yearly", "monthly", "weekly", "daily", "hourly"]


class Location(BaseModel):
    """Where the job is; any part may be unknown."""

    city: str | None = None
    state: str | None = None
    country: str | None = None

    def display(self) -> str:
        """``City, State, Country`` without the unknown parts."""
        return ", ".join(p for p in (self.city, self.state, self.country) if p)


class Compensation(BaseModel):
    """Pay as the posting states it."""

    interval: Interval | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    currency: str | None = None


class JobStatus(StrEnum):
    """Where a job is in the pipeline."""

    INGESTED = "ingested"
    #: ranked worth a Gemini call, waiting for budget (``not_before``, ``rank`` on the job)
    WAITING = "waiting"
    FILTERED = "filtered"
    SKIPPED = "skipped"
    REVIEW = "review"
    MATCHED = "matched"
    DOCUMENTS_READY = "documents_ready"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"  # you rejected it in review


class Job(Record):
    """One normalized, deduplicated job posting."""

    id: str
    title: str
    company: str
    job_url: str | None = None
    job_url_direct: str | None = None
    company_url: str | None = None  # the employer's website, when the actor gives it
    location: Location = Field(default_factory=Location)
    is_remote: bool | None = None
    job_type: list[str] = Field(default_factory=list)
    compensation: Compensation | None = None
    date_posted: date | None = None
    emails: list[str] = Field(default_factory=list)
    description: str = ""
    source: str = ""
    source_id: str | None = None
    seniority: str | None = None

    canonical_url: str | None = None
    fingerprint: str | None = None
    repost_of: str | None = None
    run_id: str | None = None
    status: JobStatus = JobStatus.INGESTED
    #: the local rank (0-100) of a job waiting for the Gemini budget, and when it may go
    rank: int | None = None
    not_before: datetime | None = None
    ingested_at: datetime | None = None
    updated_at: datetime | None = None
