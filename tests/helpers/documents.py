"""Synthetic candidate, job and analysis for the document tests (written for the tests)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from common.domain.analysis import Analysis, Decision
from common.domain.candidate import Profile
from common.domain.job import Job, Location
from tests.helpers.emulators import require_binary

NAME = "Zoë Łukasiewicz-Nguyễn"


def profile_doc() -> dict:
    """A JSON Resume with accents in the name, two jobs, a degree, a certificate, projects."""
    return {
        "basics": {
            "name": NAME,
            "label": "Data Engineer",
            "email": "zoe@example.org",
            "phone": "+48 22 555 0100",
            "summary": "Data engineer with six years of Python and SQL, building batch and "
            "streaming pipelines.",
            "location": {"city": "Kraków", "countryCode": "PL", "postalCode": "31-000"},
        },
        "work": [
            {
                "name": "Wisła Freight Sp. z o.o.",
                "position": "Data Engineer",
                "location": "Kraków",
                "startDate": "2022-04-01",
                "highlights": [
                    "Organised the office book club",
                    "Built Kafka consumers that process 5 million events a day",
                    "Migrated 12 Airflow DAGs to dbt and BigQuery",
                ],
            },
            {
                "name": "Mazowsze Retail S.A.",
                "position": "Junior Data Analyst",
                "location": "Warsaw",
                "startDate": "2019-09-01",
                "endDate": "2022-03-31",
                "highlights": [
                    "Wrote SQL reports for 40 stores",
                    "Automated the weekly sales export with Python",
                ],
            },
        ],
        "education": [
            {
                "institution": "Uniwersytet Jagielloński",
                "area": "Mathematics",
                "studyType": "Bachelor of Science",
                "startDate": "2015-10-01",
                "endDate": "2019-06-30",
            }
        ],
        "certificates": [{"name": "Data Engineer Associate", "issuer": "Databricks"}],
        "skills": [
            {"name": "Python", "keywords": ["pandas", "pytest"]},
            {"name": "SQL", "keywords": ["PostgreSQL", "BigQuery"]},
            {"name": "Kafka", "keywords": []},
            {"name": "Airflow", "keywords": ["dbt"]},
            {"name": "Excel", "keywords": []},
        ],
        "projects": [
            {"name": "Tram delays dashboard", "description": "Open data dashboard in Python",
             "keywords": ["Python", "Streamlit"]},
            {"name": "Knitting patterns site", "description": "A hobby website"},
        ],
        "languages": [{"language": "Polish", "fluency": "Native"},
                      {"language": "English", "fluency": "Fluent"}],
    }  # fmt: skip


def profile() -> Profile:
    """The synthetic profile as a :class:`Profile`."""
    return Profile.model_validate(profile_doc())


def job(job_id: str = "job-1", company: str = "Odra Energy", title: str = "Data Engineer") -> Job:
    """A posting that asks for Kafka, BigQuery and Python, and for Rust (which Zoë lacks)."""
    return Job(
        id=job_id,
        title=title,
        company=company,
        location=Location(city="Wrocław", country="Poland"),
        description="We are looking for a data engineer. You know Kafka and BigQuery, write "
        "Python every day, and ideally some Rust. English is required.",
        source="test",
        status="matched",
    )


def analysis(job_id: str = "job-1") -> Analysis:
    """The analysis of :func:`job`: matched Kafka, BigQuery, Python; missing Rust."""
    return Analysis(
        job_id=job_id,
        score=82,
        decision=Decision.APPLY,
        matched=["Kafka", "BigQuery", "Python"],
        missing=["Rust"],
        contact_email="jobs@odra.example",
        created_at=datetime(2026, 11, 26, tzinfo=UTC),
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """``pdftotext -layout`` of ``pdf`` (skips when poppler-utils is not installed)."""
    exe = require_binary("pdftotext", "Debian poppler-utils; .ci/run installs it")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")
