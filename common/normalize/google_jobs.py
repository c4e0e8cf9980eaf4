"""Google Jobs items (``epctex/google-jobs-scraper``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.domain.job import Job
from common.normalize.build import make_job
from common.normalize.dates import parse_posted
from common.normalize.fields import first_link, get_path, location_of, strings, text
from common.normalize.ids import Identity
from common.normalize.salary import parse_salary
from common.normalize.text import fingerprint


def identity(item: dict[str, Any]) -> Identity:
    """A result has no id: the first apply link, else the posting's company, title and
    location identify it."""
    link = first_link(item.get("applyLink"))
    source_id = None
    if not link:
        source_id = fingerprint(
            text(item.get("companyName")), text(item.get("title")), text(item.get("location"))
        )
    return Identity.of("google_jobs", source_id, link)


def _highlights(value: Any) -> str:
    parts: list[str] = []
    for block in value if isinstance(value, list) else []:
        if isinstance(block, dict):
            parts.append(text(block.get("title")))
            parts.extend(f"- {line}" for line in strings(block.get("items")))
    return "\n".join(p for p in parts if p)


def _salary(item: dict[str, Any]) -> Any:
    pay = get_path(item, "metadata", "salary")
    if pay:
        return parse_salary(pay)
    for extra in strings(item.get("extras")):
        if any(ch.isdigit() for ch in extra) and ("$" in extra or "€" in extra or "£" in extra):
            return parse_salary(extra)
    return None


def from_google_jobs(item: dict[str, Any], now: datetime, identity: Identity) -> Job:
    """A Google Jobs result."""
    description = "\n\n".join(
        p for p in (text(item.get("description")), _highlights(item.get("jobHighlights"))) if p
    )
    return make_job(
        identity=identity,
        title=item.get("title"),
        company=item.get("companyName"),
        now=now,
        description_text=description,
        location=location_of(item),
        remote_hints=[*strings(item.get("extras")), item.get("location")],
        job_type=get_path(item, "metadata", "scheduleType"),
        compensation=_salary(item),
        date_posted=parse_posted(get_path(item, "metadata", "postedAt"), now),
    )
