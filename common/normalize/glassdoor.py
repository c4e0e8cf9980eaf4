"""Glassdoor items: schema.org ``Place`` locations and ``MonetaryAmount`` salaries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.domain.job import Job, Location
from common.normalize.build import make_job
from common.normalize.dates import parse_posted
from common.normalize.fields import get_path, location_of
from common.normalize.ids import Identity
from common.normalize.salary import from_schema_org

#: a Glassdoor posting's address, from its listing id
POSTING_URL = "https://www.glassdoor.com/job-listing/?jl={id}"


def _place(item: dict[str, Any]) -> Location:
    place = item.get("jobLocation")
    address = place.get("address") if isinstance(place, dict) else None
    if isinstance(address, dict):  # schema.org Place: the address holds the parts
        return location_of({"location": address})
    return location_of(item, "jobLocation", "location")


def from_glassdoor(item: dict[str, Any], now: datetime, identity: Identity) -> Job:
    """A Glassdoor jobs scraper item."""
    return make_job(
        identity=identity,
        title=item.get("jobTitle"),
        company=item.get("employerName"),
        company_url=get_path(item.get("companyDetails"), "Website"),
        now=now,
        description_html=item.get("jobDetailsHtml"),
        description_text=item.get("jobDetails"),
        location=_place(item),
        remote_flag=True if item.get("jobLocationType") == "TELECOMMUTE" else None,
        job_type=item.get("employmentType"),
        compensation=from_schema_org(item.get("salary") or item.get("baseSalary")),
        date_posted=parse_posted(item.get("datePosted"), now),
    )
