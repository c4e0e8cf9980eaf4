"""Real-posting replicas: job items in the shapes real Apify actors export, generated from
our own templates (no record is copied from anywhere).

Sizes and field habits follow real runs: a LinkedIn item carries its description twice
(HTML with ``<strong>``/``<br>``/``<ul>`` and entities, and the same as text), about 9 KB in
all; locations are written ``City, Region, Country`` in Europe and ``City, ST`` in the US,
sometimes only a country; pay is stated on a minority of postings. Shapes:

- :func:`bebity` (``bebity/linkedin-jobs-scraper``), and :func:`spreadsheet_row`, the same
  item after a spreadsheet re-export (no ``jobUrl``, no HTML, ``city``/``state`` columns);
- :func:`blackfalcon` (``blackfalcondata/linkedin-jobs-scraper``: ``company``,
  ``linkedinJobId``, split salary fields, a ``country`` copied from the US state code);
- :func:`indeed_nested` (nested ``location``/``salary`` objects, for CSV flattening).

Writers: :func:`write_json_array` (one item per line), :func:`write_jsonl` and
:func:`write_csv` (Apify's ``a/b`` flattening, optionally a spreadsheet's index column).
"""

from __future__ import annotations

import csv
import html
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROLES = [
    ("Backend Engineer", ["Python", "PostgreSQL", "Kubernetes", "REST APIs", "Kafka"]),
    ("Data Engineer", ["SQL", "Airflow", "dbt", "BigQuery", "Spark"]),
    ("Frontend Developer", ["TypeScript", "React", "CSS", "accessibility", "Jest"]),
    ("Site Reliability Engineer", ["Terraform", "Prometheus", "Linux", "Go", "on-call"]),
    ("Financial Controller", ["IFRS", "consolidation", "SAP", "Excel", "month-end closing"]),
    ("Accountant", ["VAT returns", "bookkeeping", "payroll", "Sage", "year-end accounts"]),
    ("Product Manager", ["roadmaps", "user research", "Jira", "A/B testing", "SQL"]),
    ("Machine Learning Engineer", ["PyTorch", "MLOps", "Python", "feature stores", "GPUs"]),
    ("Sales Manager", ["CRM", "Salesforce", "negotiation", "B2B", "pipeline reviews"]),
    ("Customer Support Specialist", ["Zendesk", "English", "French", "ticket triage", "SLAs"]),
    ("Mechanical Engineer", ["CAD", "SolidWorks", "tolerancing", "prototyping", "FMEA"]),
    ("HR Business Partner", ["employee relations", "labour law", "Workday", "coaching"]),
]
LEVELS = ["Entry level", "Associate", "Mid-Senior level", "Director", "Not Applicable"]
SENIORITY = ["", "Senior ", "Junior ", "Lead ", "Staff "]
STEMS = ["Nord", "Fjord", "Lumen", "Vector", "Brightline", "Cobalt", "Meridian", "Halcyon",
         "Quarry", "Tessel", "Orbis", "Kestrel", "Auren", "Velo", "Sable", "Ironleaf"]  # fmt: skip
KINDS = ["Logistics", "Analytics", "Payments", "Health", "Robotics", "Energy", "Capital",
         "Software", "Foods", "Mobility", "Insurance", "Labs"]  # fmt: skip
SUFFIXES = ["GmbH", "Sarl", "SA", "Inc.", "Ltd", "BV", "", "", ""]
#: (city, region, country as LinkedIn writes it, how the location text reads)
PLACES = [
    ("Berlin", "Berlin", "Germany", "eu"),
    ("Munich", "Bavaria", "Germany", "eu"),
    ("Hamburg", "Hamburg", "Germany", "eu"),
    ("Luxembourg", "Luxembourg", "Luxembourg", "eu"),
    ("Esch-sur-Alzette", "Luxembourg", "Luxembourg", "eu"),
    ("Charleroi", "Walloon Region", "Belgium", "eu"),
    ("Brussels", "Brussels Region", "Belgium", "eu"),
    ("Amsterdam", "North Holland", "Netherlands", "eu"),
    ("Paris", "Île-de-France", "France", "eu"),
    ("Vienna", "Vienna", "Austria", "eu"),
    ("Zurich", "Zurich", "Switzerland", "eu"),
    ("Warsaw", "Masovian Voivodeship", "Poland", "eu"),
    ("Lisbon", "Lisbon", "Portugal", "eu"),
    ("London", "England", "United Kingdom", "eu"),
    ("San Francisco", "CA", "United States", "us"),
    ("Austin", "TX", "United States", "us"),
    ("New York", "NY", "United States", "us"),
    ("Indianapolis", "IN", "United States", "us"),
    ("Seattle", "WA", "United States", "us"),
    ("Toronto", "ON", "Canada", "us"),
]
APPLICANTS = ["Be among the first 25 applicants", "38 applicants", "Over 200 applicants"]
SALARIES = ["€60,000.00/yr - €75,000.00/yr", "$120,000.00/yr - $150,000.00/yr",
            "$38.00/hr - $45.00/hr", "€4,500.00/mo - €5,200.00/mo"]  # fmt: skip

ABOUT = [
    "{company} builds tools that help {audience} work with less friction and more focus.",
    "Founded a decade ago, {company} now serves customers in more than thirty countries.",
    "We are a team of {size} people who care about craft, honesty and shipping often.",
    "Our clients range from family businesses to listed companies across {region}.",
    "We recently closed a funding round and are growing the {team} team in {city}.",
    "At {company}, decisions are made close to the work and written down for everyone.",
]
DUTIES = [
    "Design, build and maintain {skill} solutions used every day by our customers",
    "Work closely with colleagues in {team} to turn vague problems into clear plans",
    "Own the quality of your work from the first draft to production and beyond",
    "Improve our processes around {skill} and document what you learn",
    "Review the work of peers and help newer colleagues grow",
    "Take part in planning and estimate your work honestly",
    "Report on progress to stakeholders in a clear and timely way",
    "Contribute to monthly and yearly closing activities where relevant",
    "Keep an eye on costs, risks and deadlines and raise issues early",
]
PROFILE = [
    "{years}+ years of experience in a similar role",
    "Solid knowledge of {skill} and {skill2}",
    "Fluent English; {language} is a plus",
    "A degree in a relevant field or equivalent experience",
    "Comfortable with ambiguity and able to prioritise on your own",
    "Experience with {skill2} in a growing company",
    "Good written communication and a habit of writing things down",
]
OFFER = [
    "A competitive salary and a yearly bonus",
    "{days} days of paid vacation",
    "Hybrid work: {office} days a week in our {city} office",
    "A learning budget and time for conferences",
    "Meal vouchers, public transport pass and a pension plan",
    "A modern laptop and the equipment you need at home",
]


def _company(rng: random.Random) -> str:
    name = f"{rng.choice(STEMS)}{rng.choice(['', 'a', 'ix', 'io'])} {rng.choice(KINDS)}"
    return f"{name} {rng.choice(SUFFIXES)}".strip()


def _fill(template: str, rng: random.Random, ctx: dict[str, str], skills: list[str]) -> str:
    return template.format(
        skill=rng.choice(skills), skill2=rng.choice(skills), years=rng.randint(2, 8),
        days=rng.choice([25, 26, 28, 30]), office=rng.randint(1, 3), size=rng.randint(40, 900),
        language=rng.choice(["German", "French", "Dutch", "Spanish"]),
        audience=rng.choice(["finance teams", "engineers", "hospitals", "retailers"]), **ctx,
    )  # fmt: skip


def description(
    rng: random.Random, title: str, company: str, city: str, region: str
) -> tuple[str, str]:
    """A LinkedIn-style posting as (HTML, text): about 3.5-5 KB of HTML."""
    skills = next(s for t, s in ROLES if t in title)
    ctx = {"company": company, "city": city, "region": region, "team": title.split()[-1]}
    sections = [
        ("About us", [_fill(t, rng, ctx, skills) for t in rng.sample(ABOUT, 4)]),
        ("Your responsibilities", [_fill(t, rng, ctx, skills) for t in rng.sample(DUTIES, 8)]),
        ("Your profile", [_fill(t, rng, ctx, skills) for t in rng.sample(PROFILE, 6)]),
        ("What we offer", [_fill(t, rng, ctx, skills) for t in rng.sample(OFFER, 5)]),
    ]
    intro = f"{company} is looking for a {title} to join the team in {city}. " + " ".join(
        _fill(t, rng, ctx, skills) for t in rng.sample(ABOUT, 3)
    )
    parts = [f"<strong>{html.escape(title)}<br><br></strong><p>{html.escape(intro)}<br><br></p>"]
    lines = [title, "", intro, ""]
    for heading, items in sections:
        body = "".join(f"<li>{html.escape(i).replace('-', '&#x2013;')} </li>" for i in items)
        parts.append(f"<p><strong><u>{heading}</u></strong></p><ul>{body}</ul>")
        lines += [heading, "", *(f" * {i}" for i in items), ""]
        extra = ". ".join(_fill(t, rng, ctx, skills) for t in rng.sample(ABOUT + DUTIES, 6))
        parts.append(f"<p>{html.escape(extra)}<br><br></p>")
        lines += [extra, ""]
    markup = "\n          " + "".join(parts).replace("'", "&apos;") + "\n        "
    return markup, "\n".join(lines)


def _location_text(city: str, region: str, country: str, style: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return country
    if style == "us":
        return f"{city}, {region}"
    if roll < 0.2:
        return f"{city}, {country}"
    return f"{city}, {region}, {country}"


def bebity(n: int, rng: random.Random) -> dict[str, Any]:
    """A ``bebity/linkedin-jobs-scraper`` item."""
    role, _ = rng.choice(ROLES)
    title = f"{rng.choice(SENIORITY)}{role}"
    company = _company(rng)
    city, region, country, style = rng.choice(PLACES)
    markup, text = description(rng, title, company, city, region)
    job_id = str(4_200_000_000 + n)
    slug = f"{title}-at-{company}".lower().replace(" ", "-").replace(".", "")
    host = "www" if style == "us" else rng.choice(["de", "lu", "be", "fr", "nl"])
    firm = slug.split("-at-")[1]
    return {
        "id": job_id,
        "publishedAt": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        "salary": rng.choice(SALARIES) if rng.random() < 0.3 else "",
        "title": title,
        "jobUrl": f"https://{host}.linkedin.com/jobs/view/{slug}-{job_id}?trk=public_jobs_topcard",
        "companyName": company,
        "companyUrl": f"https://{host}.linkedin.com/company/{firm}?trk=public_jobs",
        "location": _location_text(city, region, country, style, rng),
        "postedTime": f"{rng.randint(1, 23)} hours ago",
        "applicationsCount": rng.choice(APPLICANTS),
        "description": text,
        "contractType": rng.choice(["Full-time", "Full-time", "Part-time", "Contract"]),
        "experienceLevel": rng.choice(LEVELS),
        "workType": rng.choice(["Engineering and Information Technology", "Finance", "Sales"]),
        "sector": rng.choice(["Financial Services", "Software Development", "Manufacturing"]),
        "applyUrl": f"https://careers.{firm}.example/jobs/{n}" if rng.random() < 0.6 else "",
        "applyType": rng.choice(["EXTERNAL", "EASY_APPLY"]),
        "descriptionHtml": markup,
        "companyId": str(rng.randint(1000, 99_999_999)),
        "benefits": "",
        "posterProfileUrl": "",
        "posterFullName": "",
    }


def spreadsheet_row(item: dict[str, Any]) -> dict[str, Any]:
    """A bebity item after a spreadsheet re-export: no ``jobUrl`` nor HTML, and the location
    split into ``city`` and ``state`` columns (the country column dropped)."""
    row = {k: v for k, v in item.items() if k not in ("jobUrl", "descriptionHtml", "location")}
    parts = [p.strip() for p in item["location"].split(",")]
    row["city"] = parts[0] if len(parts) >= 2 else ""
    row["state"] = parts[1] if len(parts) >= 2 else parts[0]
    return row


def blackfalcon(n: int, rng: random.Random) -> dict[str, Any]:
    """A ``blackfalcondata/linkedin-jobs-scraper`` item (its drifted field names)."""
    base = bebity(n, rng)
    city, region, country, style = rng.choice(PLACES)
    us = style == "us"
    paid = rng.random() < 0.4
    return {
        "scrapedAt": "2026-11-20T08:00:00.000Z",
        "portalUrl": "https://www.linkedin.com",
        "source": "linkedin",
        "jobId": f"{rng.getrandbits(128):032x}",
        "linkedinJobId": base["id"],
        "jobUrl": f"https://www.linkedin.com/jobs/view/{base['id']}",
        "title": base["title"],
        "company": base["companyName"],
        "companyUrl": base["companyUrl"],
        "companyId": base["companyId"],
        "location": f"{city}, {region}" if us else f"{city}, {region}, {country}",
        "country": region if us else country,  # in the US the actor copies the state code
        "postedAt": f"{base['publishedAt']}T00:00:00.000Z",
        "applyUrl": base["applyUrl"] or None,
        "applyType": "unknown",
        "description": base["description"].replace("\n", " "),
        "descriptionHtml": base["descriptionHtml"],
        "seniorityLevel": base["experienceLevel"],
        "employmentType": base["contractType"],
        "industry": base["sector"],
        "workplaceType": rng.choice([None, "Remote", "Hybrid", "On-site"]),
        "applicantCount": rng.randint(1, 300),
        "easyApply": base["applyType"] == "EASY_APPLY",
        "salaryMin": 90000 if paid else None,
        "salaryMax": 120000 if paid else None,
        "salaryCurrency": "USD" if paid else None,
        "salaryPeriod": "YEARLY" if paid else None,
        "extractedEmails": [],
        "isRepost": None,
        "contentHash": f"{rng.getrandbits(256):064x}",
        "postingBenefits": ["Actively Hiring"],
    }


def indeed_nested(n: int, rng: random.Random) -> dict[str, Any]:
    """A newer Indeed item, with nested ``location`` and ``salary`` objects."""
    base = bebity(n, rng)
    city, region, country, style = rng.choice(PLACES)
    key = f"{n:016x}"
    return {
        "jobKey": key,
        "title": base["title"],
        "companyName": base["companyName"],
        "location": {
            "city": city,
            "state": region if style == "us" else None,
            "country": country,
            "formattedAddressShort": f"{city}, {region}",
        },
        "salary": {"salaryMin": 50000, "salaryMax": 65000, "salaryCurrency": "EUR"}
        if rng.random() < 0.5
        else None,
        "descriptionHtml": base["descriptionHtml"],
        "jobUrl": f"https://www.indeed.com/viewjob?jk={key}",
        "applyUrl": base["applyUrl"] or None,
        "isRemote": rng.random() < 0.2,
        "jobType": [base["contractType"]],
        "datePublished": f"{base['publishedAt']}T00:00:00.000Z",
    }


def stream(
    make: Any, count: int, seed: int = 7, repeats: float = 0.03, reposts: float = 0.02
) -> Iterator[dict[str, Any]]:
    """``count`` items of ``make(n, rng)``; a share repeat an earlier item, and a share are
    reposts (the same text and company under a new id and URL)."""
    rng = random.Random(seed)
    recent: list[dict[str, Any]] = []
    for n in range(count):
        roll = rng.random()
        if recent and roll < repeats:
            item = rng.choice(recent)
        elif recent and roll < repeats + reposts:
            base = rng.choice(recent)
            item = make(n, rng)
            for key in ("descriptionHtml", "description", "companyName", "company", "title"):
                if key in base and key in item:
                    item[key] = base[key]
        else:
            item = make(n, rng)
        recent = [*recent, item][-50:]
        yield item


def write_json_array(path: Path, items: Iterable[dict[str, Any]]) -> Path:
    """A JSON array export, one item per line (as the Apify console writes it)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for n, item in enumerate(items):
            out.write(("," if n else "") + json.dumps(item, ensure_ascii=False) + "\n")
        out.write("]\n")
    return path


def write_jsonl(path: Path, items: Iterable[dict[str, Any]]) -> Path:
    """A JSON Lines export."""
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Apify's CSV flattening: nested objects as ``a/b``, list elements as ``a/0``."""
    if isinstance(value, dict) and value:
        out: dict[str, str] = {}
        for key, inner in value.items():
            out.update(flatten(inner, f"{prefix}/{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for index, inner in enumerate(value):
            out.update(flatten(inner, f"{prefix}/{index}"))
        return out
    if value is None or value == {} or value == []:
        return {prefix: ""}
    if isinstance(value, bool):
        return {prefix: "true" if value else "false"}
    return {prefix: str(value)}


def write_csv(
    path: Path,
    items: list[dict[str, Any]],
    *,
    index_column: str | None = None,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    """A CSV export: the union of the flattened columns in first-seen order; with
    ``index_column`` a spreadsheet's row number comes first (``""`` as pandas writes it)."""
    rows = [flatten(item) for item in items]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(([index_column] if index_column is not None else []) + columns)
        for n, row in enumerate(rows):
            cells = [row.get(c, "") for c in columns]
            writer.writerow(([str(n)] if index_column is not None else []) + cells)
    return path
