"""Indeed actors' items: the older flat shape and the newer nested one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.domain.job import Job
from common.normalize.build import make_job
from common.normalize.dates import parse_posted
from common.normalize.fields import location_of, pick, text
from common.normalize.ids import Identity
from common.normalize.salary import from_amounts, parse_salary

#: an Indeed posting's address, from its job key
POSTING_URL = "https://www.indeed.com/viewjob?jk={id}"


def from_flat(item: dict[str, Any], now: datetime, identity: Identity) -> Job:
    """Older Indeed scrapers: ``positionName, company, location, salary, url, postedAt``..."""
    return make_job(
        identity=identity,
        title=item.get("positionName"),
        company=pick(item, "company", "companyName"),
        now=now,
        description_html=pick(item, "descriptionHTML", "descriptionHtml"),
        description_text=item.get("description"),
        job_url_direct=item.get("externalApplyLink"),
        location=location_of(item),
        remote_hints=[item.get("location")],
        job_type=item.get("jobType"),
        compensation=parse_salary(item.get("salary")),
        date_posted=parse_posted(item.get("postedAt"), _reference_time(item, now)),
    )


def _reference_time(item: dict[str, Any], now: datetime) -> datetime:
    """Relative dates of a flat item are relative to its ``scrapedAt`` when present."""
    scraped = text(item.get("scrapedAt"))
    try:
        when = datetime.fromisoformat(scraped.replace("Z", "+00:00")) if scraped else None
    except ValueError:
        when = None
    return when if when and when.tzinfo else now


def _salary(value: Any) -> Any:
    if not isinstance(value, dict):
        return parse_salary(value)
    return from_amounts(
        pick(value, "salaryMin", "min"),
        pick(value, "salaryMax", "max"),
        pick(value, "salaryCurrency", "currency"),
        pick(value, "salaryType", "type"),
        text=pick(value, "salaryText", "text"),
    )


def from_nested(item: dict[str, Any], now: datetime, identity: Identity) -> Job:
    """Newer Indeed scrapers: ``jobKey, title, companyName, location{...}, salary{...}``..."""
    return make_job(
        identity=identity,
        title=item.get("title"),
        company=pick(item, "companyName", "company"),
        now=now,
        description_html=item.get("descriptionHtml"),
        description_text=pick(item, "descriptionText", "description"),
        job_url_direct=item.get("applyUrl"),
        location=location_of(item),
        remote_flag=item.get("isRemote"),
        job_type=item.get("jobType"),
        compensation=_salary(item.get("salary")),
        date_posted=parse_posted(item.get("datePublished"), now),
        emails=item.get("emails"),
    )
