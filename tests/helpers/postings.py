"""Synthetic jobs and a sample profile for analysis tests (written here, not copied)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from common.domain.candidate import Profile
from common.domain.job import Compensation, Job, Location
from common.normalize.text import fingerprint

EVAL_PROFILE = Path(__file__).resolve().parents[2] / "eval" / "profile.json"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)

BACKEND = """Nordlicht Mobility builds software that moves parcels across Europe.

As our Senior Backend Engineer you will design and build the APIs behind our product.

Requirements:
- 5+ years of experience in a similar role
- Strong Python
- Postgres
- Docker and k8s
- GCP

Nice to have:
- Kafka

What we offer:
- 30 days of vacation"""

SALES = """Wolkenlos Software sells a data platform built on BigQuery, Python and Kubernetes.

As our Account Executive you will own a quota and prospect mid-market accounts.

Requirements:
- 3+ years of SaaS sales
- Salesforce
- cold calling"""


def profile() -> Profile:
    """The sample profile (senior backend/data engineer, Python and Google Cloud)."""
    return Profile.load(EVAL_PROFILE)


def job(**fields: Any) -> Job:
    """A job with realistic defaults; the fingerprint follows company, title and text."""
    base: dict[str, Any] = {
        "id": "linkedin-1",
        "title": "Senior Backend Engineer",
        "company": "Nordlicht Mobility",
        "job_url": "https://www.linkedin.com/jobs/view/1/",
        "company_url": "https://www.nordlicht.example.com",  # the employer's domain
        "location": Location(city="Berlin", country="Germany"),
        "is_remote": False,
        "date_posted": date(2026, 11, 20),
        "description": BACKEND,
        "source": "linkedin",
        "source_id": "1",
        "seniority": "Mid-Senior level",
        "ingested_at": NOW,
        "compensation": Compensation(
            interval="yearly", min_amount=70000, max_amount=85000, currency="EUR"
        ),
    }
    base.update(fields)
    made = Job(**base)
    if "fingerprint" not in fields:
        made.fingerprint = fingerprint(made.company, made.title, made.description)
    return made
