"""Glassdoor items: schema.org ``Place`` locations and ``MonetaryAmount`` salaries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.domain.job import Job, Location
from common.normalize.build import make_job
from common.normalize.dates import parse_posted
from common.normalize.fields import get_path, location_from_text, optional
from common.normalize.salary import from_schema_org


def _place(value: Any) -> Location:
    if not isinstance(value, dict):
        return location_from_text(value)
    address = value.get("address")
    if not isinstance(address, dict):
        return Location()
    country = address.get("addressCountry")
    return Location(
        city=optional(address.get("addressLocality")),
        state=optional(address.get("addressRegion")),
        country=optional(get_path(country, "name") if isinstance(country, dict) else country),
    )


def from_glassdoor(item: dict[str, Any], now: datetime) -> Job:
    """A Glassdoor jobs scraper item."""
    return make_job(
        source="glassdoor",
        source_id=item.get("id"),
        title=item.get("jobTitle"),
        company=item.get("employerName"),
        job_url=item.get("url"),
        company_url=get_path(item.get("companyDetails"), "Website"),
        now=now,
        description_html=item.get("jobDetailsHtml"),
        description_text=item.get("jobDetails"),
        location=_place(item.get("jobLocation")),
        remote_flag=True if item.get("jobLocationType") == "TELECOMMUTE" else None,
        job_type=item.get("employmentType"),
        compensation=from_schema_org(item.get("salary") or item.get("baseSalary")),
        date_posted=parse_posted(item.get("datePosted"), now),
    )
