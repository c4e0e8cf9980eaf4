"""The candidate's preferences from ``autoapply.yaml``: searches, filters, thresholds, sending."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


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
    review_threshold: int = Field(default=50, ge=0, le=100)
    llm_threshold: int = Field(
        default=55, ge=0, le=100, description="local pre-score needed before Gemini is asked"
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

    mode: Literal["outbox", "draft", "send"] = "outbox"
    min_score_to_send: int = Field(default=80, ge=0, le=100)
    daily_cap: int = Field(default=20, ge=0, le=400)
    company_cooldown_days: int = Field(default=30, ge=0)
    timezone: str = "UTC"
    quiet_hours: QuietHours | None = Field(default_factory=QuietHours)
    attach: Literal["pdf", "docx"] = "pdf"


class Preferences(_Strict):
    """Everything the candidate decides about their search."""

    searches: list[Search] = Field(default_factory=list)
    filters: Filters = Field(default_factory=Filters)
    scoring: Scoring = Field(default_factory=Scoring)
    sending: Sending = Field(default_factory=Sending)
