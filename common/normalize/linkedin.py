"""LinkedIn actors' items: ``bebity/linkedin-jobs-scraper``, ``curious_coder/linkedin-jobs-scraper``
and ``blackfalcondata/linkedin-jobs-scraper``. All three carry LinkedIn's job id, so the same
posting from any of them gets the same job id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.domain.job import Job
from common.normalize.build import make_job
from common.normalize.dates import parse_posted
from common.normalize.fields import location_of, pick, strings, yes_no
from common.normalize.ids import Identity
from common.normalize.salary import from_amounts, parse_salary

#: a LinkedIn posting's address, from its id (items re-exported without their URL)
POSTING_URL = "https://www.linkedin.com/jobs/view/{id}"


def from_bebity(item: dict[str, Any], now: datetime, identity: Identity) -> Job:
    """``bebity/linkedin-jobs-scraper``, also re-exported through a spreadsheet (no ``jobUrl``,
    ``city``/``state`` columns instead of ``location``)."""
    return make_job(
        identity=identity,
        title=item.get("title"),
        company=pick(item, "companyName", "company"),
        now=now,
        description_html=item.get("descriptionHtml"),
        description_text=pick(item, "description", "descriptionText"),
        job_url_direct=item.get("applyUrl"),
        company_url=item.get("companyWebsite") or item.get("companyUrl"),
        location=location_of(item),
        remote_hints=[item.get("workType"), item.get("location")],
        job_type=pick(item, "contractType", "employmentType"),
        compensation=parse_salary(item.get("salary")),
        date_posted=parse_posted(item.get("publishedAt"), now)
        or parse_posted(item.get("postedTime"), now),
        seniority=pick(item, "experienceLevel", "seniorityLevel"),
    )


def _workplace_remote(item: dict[str, Any]) -> bool | None:
    allowed = yes_no(item.get("workRemoteAllowed"))
    if allowed is not None:
        return allowed or None
    types = [t.lower() for t in strings(item.get("workplaceTypes") or item.get("workplaceType"))]
    return True if "remote" in types else None


def _salary(item: dict[str, Any]) -> Any:
    salary = item.get("salary")
    if isinstance(salary, dict):
        return from_amounts(
            salary.get("min"), salary.get("max"), salary.get("currency"), salary.get("period")
        )
    return parse_salary(salary) or parse_salary(item.get("salaryInfo"))


def from_curious_coder(item: dict[str, Any], now: datetime, identity: Identity) -> Job:
    """``curious_coder/linkedin-jobs-scraper`` (older and newer versions)."""
    return make_job(
        identity=identity,
        title=item.get("title"),
        company=pick(item, "companyName", "company"),
        now=now,
        description_html=item.get("descriptionHtml"),
        description_text=pick(item, "descriptionText", "description"),
        job_url_direct=item.get("applyUrl"),
        company_url=item.get("companyWebsite"),
        location=location_of(item),
        remote_flag=_workplace_remote(item),
        remote_hints=[*strings(item.get("workplaceTypes")), item.get("location")],
        job_type=item.get("employmentType"),
        compensation=_salary(item),
        date_posted=parse_posted(item.get("postedAtTimestamp"), now)
        or parse_posted(item.get("postedAt"), now),
        seniority=item.get("seniorityLevel"),
    )


def from_blackfalcon(item: dict[str, Any], now: datetime, identity: Identity) -> Job:
    """``blackfalcondata/linkedin-jobs-scraper``: ``company``, ``linkedinJobId``, pay in
    ``salaryMin``/``salaryMax``/``salaryCurrency``/``salaryPeriod``, ``workplaceType``, and a
    ``country`` that may only repeat the US state of ``location`` ("San Francisco, CA" with
    ``country: "CA"``: read as California, not Canada)."""
    return make_job(
        identity=identity,
        title=item.get("title"),
        company=pick(item, "company", "companyName"),
        now=now,
        description_html=item.get("descriptionHtml"),
        description_text=pick(item, "description", "descriptionMarkdown"),
        job_url_direct=item.get("applyUrl"),
        location=location_of(item),
        remote_flag=_workplace_remote(item),
        remote_hints=[item.get("location")],
        job_type=item.get("employmentType"),
        compensation=from_amounts(
            item.get("salaryMin"),
            item.get("salaryMax"),
            item.get("salaryCurrency"),
            item.get("salaryPeriod"),
        ),
        date_posted=parse_posted(item.get("postedAt"), now),
        emails=item.get("extractedEmails"),
        seniority=item.get("seniorityLevel"),
    )
