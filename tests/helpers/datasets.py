"""Synthetic Apify items (``bebity/linkedin-jobs-scraper`` shape) and a local workspace to
run the CLI on them. Written here; nothing is copied from real postings."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

#: a backend posting the demo profile scores well above the apply threshold
BACKEND_HTML = (
    "<p><strong>{title}</strong></p><p>{company} is hiring a backend engineer to build our "
    "payment APIs.</p><ul><li>5+ years of Python (FastAPI or Django)</li><li>PostgreSQL and "
    "SQL performance tuning</li><li>Google Cloud: Cloud Run, Pub/Sub</li><li>Docker and "
    "Terraform</li></ul><p>Hybrid in Berlin, two days remote a week.</p><p>{contact}</p>"
)


def bebity_item(
    n: int,
    *,
    company: str,
    title: str = "Senior Python Engineer (Backend)",
    contact: str = "",
    apply_url: str = "",
    company_url: str = "",
    location: str = "Berlin, Berlin, Germany",
) -> dict[str, Any]:
    """One item as the LinkedIn actor gives it; ``contact`` is the posting's last paragraph."""
    slug = company.lower().replace(" ", "-")
    return {
        "id": str(910000000 + n),
        "publishedAt": "",
        "salary": "",
        "title": title,
        "jobUrl": f"https://de.linkedin.com/jobs/view/{slug}-{910000000 + n}",
        "companyName": company,
        "companyUrl": company_url or f"https://de.linkedin.com/company/{slug}",
        "location": location,
        "postedTime": "1 day ago",
        "description": "",
        "descriptionHtml": BACKEND_HTML.format(title=title, company=company, contact=contact),
        "contractType": "Full-time",
        "experienceLevel": "Mid-Senior level",
        "workType": "Hybrid",
        "applyType": "EXTERNAL" if apply_url else "EASY_APPLY",
        "applyUrl": apply_url,
    }


def workspace(folder: Path, items: list[dict[str, Any]], settings: str = "") -> Path:
    """A folder with the demo profile, ``autoapply.yaml`` (``settings`` appended) and the items
    as ``jobs.json``; returns the config path."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = resources.files("common.resources") / "demo" / "profile.json"
    shutil.copyfile(str(profile), folder / "profile.json")
    (folder / "jobs.json").write_text(json.dumps(items), encoding="utf-8")
    config = folder / "autoapply.yaml"
    config.write_text(
        "profile: profile.json\ndata_dir: data\n"
        "scoring: {apply_threshold: 60, review_threshold: 40, llm_threshold: 50}\n" + settings,
        encoding="utf-8",
    )
    return config
