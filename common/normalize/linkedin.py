"""LinkedIn actors' items."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from common.domain.job import Job, Location
from common.normalize.ids import job_id
from common.normalize.text import find_emails, html_to_text


def _location(text: str | None) -> Location:
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    if len(parts) >= 3:
        return Location(city=parts[0], state=parts[1], country=parts[-1])
    if len(parts) == 2:
        return Location(city=parts[0], country=parts[1])
    return Location(city=parts[0]) if parts else Location()


def from_bebity(item: dict[str, Any], now: datetime) -> Job:
    """``bebity/linkedin-jobs-scraper``."""
    description = html_to_text(item.get("descriptionHtml") or item.get("description") or "")
    posted = item.get("publishedAt")
    work = (item.get("workType") or "").lower()
    return Job(
        id=job_id("linkedin", str(item.get("id") or ""), item.get("jobUrl")),
        title=str(item.get("title") or "").strip(),
        company=str(item.get("companyName") or "").strip(),
        job_url=item.get("jobUrl"),
        job_url_direct=item.get("applyUrl") or None,
        location=_location(item.get("location")),
        is_remote=("remote" in work) or ("remote" in str(item.get("location", "")).lower()) or None,
        job_type=[t for t in [item.get("contractType")] if t],
        date_posted=date.fromisoformat(posted) if posted else None,
        emails=find_emails(description),
        description=description,
        source="linkedin",
        source_id=str(item.get("id")) if item.get("id") else None,
        seniority=item.get("experienceLevel") or None,
        ingested_at=now,
    )
