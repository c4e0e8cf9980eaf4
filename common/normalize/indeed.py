"""Indeed actors' items: the older flat shape and the newer nested one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.domain.job import Job, Location
from common.normalize.build import make_job
from common.normalize.dates import parse_posted
from common.normalize.fields import location_from_text, optional, text
from common.normalize.salary import from_amounts, parse_salary


def from_flat(item: dict[str, Any], now: datetime) -> Job:
    """Older Indeed scrapers: ``positionName, company, location, salary, url, postedAt``..."""
    return make_job(
        source="indeed",
        source_id=item.get("id"),
        title=item.get("positionName"),
        company=item.get("company"),
        job_url=item.get("url"),
        now=now,
        description_html=item.get("descriptionHTML") or item.get("descriptionHtml"),
        description_text=item.get("description"),
        job_url_direct=item.get("externalApplyLink"),
        location=location_from_text(item.get("location")),
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


def _location(value: Any) -> Location:
    if not isinstance(value, dict):
        return location_from_text(value)
    city = optional(value.get("city"))
    country = optional(value.get("countryCode")) or optional(value.get("country"))
    if not city:
        short = location_from_text(value.get("formattedAddressShort"))
        return Location(city=short.city, state=short.state, country=country or short.country)
    return Location(city=city, state=optional(value.get("state")), country=country)


def _salary(value: Any) -> Any:
    if not isinstance(value, dict):
        return parse_salary(value)
    return from_amounts(
        value.get("salaryMin", value.get("min")),
        value.get("salaryMax", value.get("max")),
        value.get("salaryCurrency", value.get("currency")),
        value.get("salaryType", value.get("type")),
        text=value.get("salaryText", value.get("text")),
    )


def from_nested(item: dict[str, Any], now: datetime) -> Job:
    """Newer Indeed scrapers: ``jobKey, title, companyName, location{...}, salary{...}``..."""
    return make_job(
        source="indeed",
        source_id=item.get("jobKey"),
        title=item.get("title"),
        company=item.get("companyName"),
        job_url=item.get("jobUrl"),
        now=now,
        description_html=item.get("descriptionHtml"),
        description_text=item.get("descriptionText"),
        job_url_direct=item.get("applyUrl"),
        location=_location(item.get("location")),
        remote_flag=item.get("isRemote"),
        job_type=item.get("jobType"),
        compensation=_salary(item.get("salary")),
        date_posted=parse_posted(item.get("datePublished"), now),
        emails=item.get("emails"),
    )
