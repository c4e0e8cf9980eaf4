"""The one place a normalizer's mapped fields become a :class:`Job`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from common.domain.job import Compensation, Job, Location
from common.normalize.fields import detect_remote, optional, strings, text
from common.normalize.ids import Identity
from common.normalize.text import find_emails, html_to_text
from common.safetext import one_line

#: locations longer than this (all parts) are not remembered (one export repeats its places)
_CACHED_CHARS = 300


def _one_line(value: str | None) -> str | None:
    return (one_line(value) or None) if value else None


def _one_line_location(location: Location) -> Location:
    """``location`` with each part on one line (itself when that changes nothing)."""
    parts = (location.city, location.state, location.country)
    if sum(len(p) for p in parts if p) <= _CACHED_CHARS:  # places repeat across items
        lined = _one_line_parts(*parts)
    else:
        lined = _one_line_parts.__wrapped__(*parts)
    if lined == parts:
        return location
    return Location(city=lined[0], state=lined[1], country=lined[2])


@lru_cache(maxsize=4096)
def _one_line_parts(*parts: str | None) -> tuple[str | None, ...]:
    return tuple(_one_line(p) for p in parts)


def make_job(
    *,
    identity: Identity,
    title: Any,
    company: Any,
    now: datetime,
    description_html: Any = None,
    description_text: Any = None,
    job_url_direct: Any = None,
    company_url: Any = None,
    location: Location | None = None,
    remote_flag: Any = None,
    remote_hints: Iterable[Any] = (),
    job_type: Any = None,
    compensation: Compensation | None = None,
    date_posted: date | None = None,
    emails: Any = None,
    seniority: Any = None,
) -> Job:
    """A job from already extracted values; the description is cleaned to plain text."""
    markup = text(description_html)
    # text() cleaned both: html_to_text need not clean them again
    description = html_to_text(markup or text(description_text), cleaned=True)
    location = _one_line_location(location or Location())
    found = [e.lower() for e in strings(emails) if "@" in e] + find_emails(description)
    return Job(
        id=identity.id,
        title=one_line(text(title)),
        company=one_line(text(company)),
        job_url=identity.url,
        job_url_direct=optional(job_url_direct),
        company_url=optional(company_url),
        location=location,
        is_remote=detect_remote(
            location.display(), title, *remote_hints, flag=remote_flag, description=description
        ),
        job_type=list(dict.fromkeys(strings(job_type))),
        compensation=compensation,
        date_posted=date_posted,
        emails=list(dict.fromkeys(found)),
        description=description,
        source=identity.source,
        source_id=identity.source_id,
        seniority=one_line(text(seniority)) or None,
        ingested_at=now,
    )
