"""A candidate who speaks four languages and postings in them, for the letter quality tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from common.domain.candidate import Profile
from common.domain.job import Job
from common.normalize.registry import normalize
from tests.helpers import documents as sample

POSTINGS = Path(__file__).resolve().parents[1] / "fixtures" / "postings"
TODAY = date(2026, 11, 26)
#: skill categories of the profile below: never a skill in a letter
CATEGORIES = ("Languages", "Tools")
#: per posting, its requirements that the candidate holds (read by hand from the fixture)
HELD = {
    "en": {"Python", "SQL", "Kafka", "BigQuery", "Airflow", "dbt"},
    "fr": {"Python", "SQL", "Kafka", "BigQuery", "Airflow"},
    "de": {"Python", "SQL", "Kafka", "BigQuery", "Airflow", "dbt"},
    "es": {"Python", "SQL", "Kafka", "BigQuery", "Airflow"},
    "nl": {"Python", "SQL", "Kafka", "BigQuery"},
}


def multilingual_profile() -> Profile:
    """The documents' sample candidate, speaking French, German and Spanish too, with skill
    categories ("Languages", "Tools") and a case variant ("python") in the skills, and a
    summary that would be wrong to paste (an objective, a past date as future)."""
    doc = sample.profile_doc()
    doc["basics"]["summary"] = (
        "Data engineer with six years of Python and SQL, building batch and streaming "
        "pipelines. Currently completing a certificate in cloud data (expected June 2025). "
        "Looking for a senior data platform role."
    )
    doc["languages"] += [
        {"language": "French", "fluency": "Fluent"},
        {"language": "German", "fluency": "C1"},
        {"language": "Spanish", "fluency": "B2"},
    ]
    doc["skills"] = [
        {"name": "Languages", "keywords": ["Python", "SQL", "python"]},
        {"name": "Tools", "keywords": ["Kafka", "Airflow", "dbt", "BigQuery", "PostgreSQL"]},
        {"name": "Excel", "keywords": []},
    ]
    return Profile.model_validate(doc)


def posting_item(code: str) -> dict:
    """The raw Apify item of the posting in language ``code``."""
    return json.loads((POSTINGS / f"{code}.json").read_text("utf-8"))


def posting(code: str) -> Job:
    """The posting in language ``code``, normalized."""
    job = normalize(posting_item(code), datetime(2026, 11, 26, tzinfo=UTC))
    assert isinstance(job, Job), job
    return job
