"""LinkedIn actors' items: ``bebity/linkedin-jobs-scraper`` and
``curious_coder/linkedin-jobs-scraper`` (both share LinkedIn's job ids, so the same posting
from either actor gets the same job id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.domain.job import Job, Location
from common.normalize.build import make_job
from common.normalize.dates import parse_posted
from common.normalize.fields import location_from_text, strings, text
from common.normalize.salary import from_amounts, parse_salary


def from_bebity(item: dict[str, Any], now: datetime) -> Job:
    """``bebity/linkedin-jobs-scraper``."""
    return make_job(
        source="linkedin",
        source_id=item.get("id"),
        title=item.get("title"),
        company=item.get("companyName"),
        job_url=item.get("jobUrl"),
        now=now,
        description_html=item.get("descriptionHtml"),
        description_text=item.get("description"),
        job_url_direct=item.get("applyUrl"),
        company_url=item.get("companyWebsite") or item.get("companyUrl"),
        location=location_from_text(item.get("location")),
        remote_hints=[item.get("workType")],
        job_type=item.get("contractType"),
        compensation=parse_salary(item.get("salary")),
        date_posted=parse_posted(item.get("publishedAt"), now)
        or parse_posted(item.get("postedTime"), now),
        seniority=item.get("experienceLevel"),
    )


def _workplace_remote(item: dict[str, Any]) -> bool | None:
    allowed = item.get("workRemoteAllowed")
    if isinstance(allowed, bool):
        return allowed or None
    types = [t.lower() for t in strings(item.get("workplaceTypes"))]
    return True if "remote" in types else None


def from_curious_coder(item: dict[str, Any], now: datetime) -> Job:
    """``curious_coder/linkedin-jobs-scraper`` (older and newer versions)."""
    location = location_from_text(item.get("location"))
    country = text(item.get("country"))
    if country and not location.country:
        location = Location(city=location.city, state=location.state, country=country)
    salary = item.get("salary")
    compensation = (
        from_amounts(
            salary.get("min"), salary.get("max"), salary.get("currency"), salary.get("period")
        )
        if isinstance(salary, dict)
        else parse_salary(salary)
    ) or parse_salary(item.get("salaryInfo"))
    return make_job(
        source="linkedin",
        source_id=item.get("id"),
        title=item.get("title"),
        company=item.get("companyName"),
        job_url=item.get("link"),
        now=now,
        description_html=item.get("descriptionHtml"),
        description_text=item.get("descriptionText"),
        job_url_direct=item.get("applyUrl"),
        company_url=item.get("companyWebsite"),
        location=location,
        remote_flag=_workplace_remote(item),
        remote_hints=strings(item.get("workplaceTypes")),
        job_type=item.get("employmentType"),
        compensation=compensation,
        date_posted=parse_posted(item.get("postedAtTimestamp"), now)
        or parse_posted(item.get("postedAt"), now),
        seniority=item.get("seniorityLevel"),
    )
