"""The candidate's preferences from ``autoapply.yaml``: searches, filters, thresholds, sending."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Search(_Strict):
    """One Apify actor run per schedule tick."""

    name: str
    actor: str = Field(description="Apify actor id, e.g. 'bebity/linkedin-jobs-scraper'")
    input: dict[str, Any] = Field(default_factory=dict)


class SalaryFloor(_Strict):
    amount: float = Field(ge=0)
    currency: str | None = None
    interval: Literal["yearly", "monthly", "weekly", "daily", "hourly"] = "yearly"


class Filters(_Strict):
    """Hard filters: a job that fails one is never scored or applied to."""

    locations: list[str] = Field(default_factory=list)
    remote: Literal["any", "only", "exclude"] = "any"
    salary_floor: SalaryFloor | None = None
    seniority: list[str] = Field(default_factory=list)
    must_have: list[str] = Field(default_factory=list)
    exclude_keywords: list[str] = Field(default_factory=list)
    company_blocklist: list[str] = Field(default_factory=list)
    title_blocklist: list[str] = Field(default_factory=list)
    max_age_days: int | None = Field(default=None, ge=1)


class Scoring(_Strict):
    """Score thresholds (0-100)."""

    apply_threshold: int = Field(default=70, ge=0, le=100)
    review_threshold: int = Field(
        default=33, ge=0, le=100, description="under this a job is skipped (local decision)"
    )
    llm_threshold: int = Field(
        default=33,
        ge=0,
        le=100,
        description="rank under which a job is clearly poor: Gemini is not asked; the others "
        "get the Gemini budget best-ranked first, and wait for it when it is used up",
    )
    max_model_lift: int = Field(
        default=30,
        ge=0,
        le=100,
        description="a Gemini score more than this many points above the local score goes "
        "to review instead of straight to apply",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Scoring:
        if self.review_threshold > self.apply_threshold:
            raise ValueError("review_threshold must not exceed apply_threshold")
        return self


class QuietHours(_Strict):
    start: int = Field(default=21, ge=0, le=23, description="hour the quiet period starts")
    end: int = Field(default=8, ge=0, le=23, description="hour it ends")


class Sending(_Strict):
    """How and how much to send."""

    mode: Literal["outbox", "draft", "send"] = Field(
        default="outbox",
        description="outbox: .eml files in a folder; draft: Gmail drafts to review and approve; "
        "send: send applications scoring at least min_score_to_send (others become drafts)",
    )
    min_score_to_send: int = Field(
        default=80, ge=0, le=100, description="score needed to send without review (mode send)"
    )
    daily_cap: int = Field(
        default=20,
        ge=0,
        le=400,
        description="sends per rolling 24 hours; at most 400, below Gmail's own limits "
        "(about 500 a day for a consumer account, 2,000 for Workspace)",
    )
    company_cooldown_days: int = Field(
        default=30, ge=0, description="days between two sends to the same company"
    )
    timezone: str = Field(
        default="UTC", description="the candidate's IANA time zone, for quiet hours"
    )
    quiet_hours: QuietHours | None = Field(
        default_factory=QuietHours, description="no send in this period (null: none)"
    )
    attach: Literal["pdf", "docx"] = Field(
        default="pdf", description="resume format attached (DOCX when no PDF was written)"
    )
    lease_seconds: int = Field(
        default=300,
        ge=30,
        le=3600,
        description="how long one delivery attempt holds an application; keep it above the "
        "send_email function's timeout",
    )
    reconcile_after_seconds: int = Field(
        default=120,
        ge=0,
        le=3600,
        description="after a lost answer, wait this long before searching the mailbox (and "
        "only then send again if nothing is found), so that Gmail's search shows the message",
    )
    retry_minutes: int = Field(
        default=60,
        ge=1,
        description="how long an application waits after a Gmail authorization failure",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; expected e.g. 'Europe/Berlin'") from exc
        return value


class Targets(_Strict):
    """What the candidate is looking for, overriding what the profile gives the ranker."""

    titles: list[str] = Field(
        default_factory=list,
        description="target titles or role families, e.g. [Backend Engineer, Platform Engineer]",
    )
    level: Literal["intern", "junior", "mid", "senior", "lead", "director"] | None = Field(
        default=None, description="your level (default: from your latest position and years)"
    )
    years: float | None = Field(
        default=None, ge=0, le=60, description="years of experience (default: from work dates)"
    )
    core_skills: list[str] = Field(
        default_factory=list,
        description="skills you want to work with (default: those your work history shows)",
    )
    incidental_skills: list[str] = Field(
        default_factory=list, description="skills you have but do not want a job to be about"
    )
    avoid: list[str] = Field(
        default_factory=list,
        description="skills or kinds of work to stay away from, e.g. [php, ml, embedded]",
    )


class Preferences(_Strict):
    """Everything the candidate decides about their search."""

    searches: list[Search] = Field(default_factory=list)
    filters: Filters = Field(default_factory=Filters)
    scoring: Scoring = Field(default_factory=Scoring)
    sending: Sending = Field(default_factory=Sending)
    targets: Targets = Field(default_factory=Targets)
