"""Synthetic but realistic job postings with a ground-truth fit label, for one sample profile.

Made by templates, not copied from any site: role families (on-target, adjacent, off-target),
seniority, stacks written with the aliases real postings use ("Postgres", "GCP", "k8s"),
requirements split into "must have" and "nice to have" sections (or written as prose), years
demanded, keyword-stuffed off-target roles (recruiters, sales, instructors), HTML or plain text.

The label is decided here, from the template's own facts, never by a scorer: a posting is a
good fit for the sample profile (``eval/profile.json``: senior backend/data engineer, Python
and Google Cloud, about 9 years) when

- the role is backend, data or platform engineering,
- the level is mid, senior or lead/staff (not intern/junior, not head/director),
- at least 60 % of the *required* skills are ones the candidate has, and
- the years demanded are at most 9.

``python -m eval.postings`` rewrites ``eval/data/postings.jsonl`` and ``labels.json``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

#: skills of the sample profile, in canonical form (what the label rule checks)
CANDIDATE = {
    "python", "django", "fastapi", "flask", "pytest", "google cloud", "cloud run", "pub/sub",
    "bigquery", "firestore", "sql", "postgresql", "terraform", "apache spark", "airflow",
    "docker", "kubernetes", "rest apis", "etl", "linux", "ci/cd",
}  # fmt: skip

#: canonical skill -> ways postings write it
SPELLINGS = {
    "python": ["Python", "Python 3", "python"],
    "django": ["Django"],
    "fastapi": ["FastAPI"],
    "flask": ["Flask"],
    "pytest": ["pytest"],
    "google cloud": ["GCP", "Google Cloud", "Google Cloud Platform"],
    "cloud run": ["Cloud Run"],
    "pub/sub": ["Pub/Sub", "Google Pub/Sub"],
    "bigquery": ["BigQuery"],
    "firestore": ["Firestore"],
    "sql": ["SQL"],
    "postgresql": ["PostgreSQL", "Postgres"],
    "terraform": ["Terraform", "infrastructure as code (Terraform)"],
    "apache spark": ["Spark", "PySpark", "Apache Spark"],
    "airflow": ["Airflow", "Apache Airflow"],
    "docker": ["Docker", "containers"],
    "kubernetes": ["Kubernetes", "k8s", "GKE"],
    "rest apis": ["REST APIs", "RESTful services"],
    "etl": ["ETL", "data pipelines"],
    "linux": ["Linux"],
    "ci/cd": ["CI/CD", "GitHub Actions"],
    "java": ["Java", "Java 17"],
    "kotlin": ["Kotlin"],
    "scala": ["Scala"],
    "go": ["Go", "Golang"],
    "rust": ["Rust"],
    "c#": ["C#", ".NET"],
    "spring": ["Spring Boot"],
    "aws": ["AWS", "Amazon Web Services"],
    "azure": ["Azure"],
    "mysql": ["MySQL"],
    "mongodb": ["MongoDB"],
    "kafka": ["Kafka"],
    "snowflake": ["Snowflake"],
    "redshift": ["Redshift"],
    "dbt": ["dbt"],
    "react": ["React"],
    "typescript": ["TypeScript"],
    "javascript": ["JavaScript"],
    "css": ["CSS", "Tailwind"],
    "html": ["HTML"],
    "figma": ["Figma"],
    "swift": ["Swift"],
    "ios": ["iOS"],
    "android": ["Android"],
    "pytorch": ["PyTorch"],
    "tensorflow": ["TensorFlow"],
    "scikit-learn": ["scikit-learn"],
    "statistics": ["statistics", "A/B testing"],
    "machine learning": ["machine learning"],
    "llm": ["LLMs"],
    "grpc": ["gRPC"],
    "redis": ["Redis"],
    "ansible": ["Ansible"],
    "prometheus": ["Prometheus", "Grafana"],
    "salesforce": ["Salesforce", "CRM"],
    "excel": ["Excel"],
    "cold calling": ["prospecting", "cold calling"],
    "accounting": ["IFRS", "bookkeeping"],
    "sap": ["SAP"],
    "nursing": ["patient care"],
    "teaching": ["lesson planning", "curriculum design"],
    "recruiting": ["sourcing", "talent acquisition"],
    "customer support": ["Zendesk", "customer support"],
    "seo": ["SEO"],
}


@dataclass(frozen=True)
class Family:
    name: str
    on_target: bool
    titles: tuple[str, ...]
    core: tuple[str, ...]  # skills this role usually requires
    extra: tuple[str, ...]  # skills it sometimes requires or likes
    duties: tuple[str, ...]


FAMILIES = [
    Family(
        "backend",
        True,
        (
            "Backend Engineer",
            "Python Developer",
            "Software Engineer, Backend",
            "Backend Developer (Python)",
            "Backend Software Engineer",
            "Python Engineer",
        ),
        ("python", "postgresql", "rest apis", "docker", "django", "fastapi", "sql"),
        (
            "kubernetes",
            "google cloud",
            "aws",
            "redis",
            "kafka",
            "go",
            "java",
            "mongodb",
            "ci/cd",
            "pytest",
            "grpc",
            "terraform",
            "typescript",
        ),
        (
            "design and build the APIs behind our product",
            "own services from design to production and on-call",
            "scale our order and payment services",
            "work with product on new features end to end",
        ),
    ),
    Family(
        "data",
        True,
        (
            "Data Engineer",
            "Analytics Engineer",
            "Data Platform Engineer",
            "Big Data Engineer",
            "ETL Developer",
        ),
        ("python", "sql", "airflow", "bigquery", "apache spark", "etl", "google cloud"),
        (
            "dbt",
            "snowflake",
            "redshift",
            "kafka",
            "aws",
            "scala",
            "terraform",
            "docker",
            "kubernetes",
            "java",
            "azure",
        ),
        (
            "build batch and streaming pipelines",
            "model our warehouse for analysts",
            "own data quality and lineage",
            "move our ETL from cron jobs to an orchestrator",
        ),
    ),
    Family(
        "platform",
        True,
        (
            "Platform Engineer",
            "Cloud Engineer",
            "DevOps Engineer",
            "Site Reliability Engineer",
            "Infrastructure Engineer",
        ),
        ("terraform", "kubernetes", "google cloud", "docker", "python", "ci/cd", "linux"),
        ("aws", "azure", "go", "prometheus", "ansible", "kafka", "rust"),
        (
            "run our Kubernetes clusters",
            "automate infrastructure with code",
            "improve deployment speed and reliability",
            "own observability and incident response",
        ),
    ),
    Family(
        "jvm",
        False,
        (
            "Java Developer",
            "Backend Engineer (Java)",
            "Kotlin Backend Engineer",
            "Software Engineer, Java",
        ),
        ("java", "spring", "kotlin", "mysql", "kafka", "aws"),
        ("docker", "kubernetes", "rest apis", "sql", "scala"),
        ("build microservices on the JVM", "modernise a large Spring codebase"),
    ),
    Family(
        "frontend",
        False,
        ("Frontend Engineer", "React Developer", "Front-End Developer", "UI Engineer"),
        ("react", "typescript", "javascript", "css", "html"),
        ("figma", "rest apis", "docker", "python"),
        ("build our customer-facing web app", "own the design system"),
    ),
    Family(
        "mobile",
        False,
        ("iOS Engineer", "Android Developer", "Mobile Engineer"),
        ("swift", "ios", "kotlin", "android"),
        ("rest apis", "ci/cd", "figma"),
        ("ship our mobile apps", "improve app performance"),
    ),
    Family(
        "ml",
        False,
        ("Machine Learning Engineer", "Data Scientist", "ML Engineer", "Applied Scientist"),
        ("python", "pytorch", "tensorflow", "scikit-learn", "statistics", "machine learning"),
        ("sql", "apache spark", "google cloud", "docker", "llm", "kubernetes"),
        ("train and ship models", "run experiments and A/B tests", "build recommendation models"),
    ),
    Family(
        "manager",
        False,
        ("Engineering Manager", "Head of Engineering", "Director of Data Engineering"),
        ("python", "google cloud", "sql"),
        ("kubernetes", "terraform", "airflow"),
        (
            "lead and grow a team of eight engineers",
            "own hiring and career development",
            "set the technical roadmap with product",
        ),
    ),
    Family(
        "sales",
        False,
        (
            "Account Executive, Cloud Data Platform",
            "Sales Development Representative",
            "Solutions Sales Executive (Google Cloud)",
        ),
        ("salesforce", "cold calling"),
        ("google cloud", "bigquery", "python", "kubernetes"),
        (
            "sell our data platform (built on BigQuery, Python and Kubernetes) to enterprises",
            "own a quota and a pipeline of mid-market accounts",
        ),
    ),
    Family(
        "recruiter",
        False,
        ("Technical Recruiter", "Talent Acquisition Partner (Engineering)"),
        ("recruiting", "salesforce"),
        ("python", "kubernetes", "google cloud", "terraform", "airflow"),
        (
            "hire Python, Kubernetes and Google Cloud engineers for our platform team",
            "run the full hiring process for data engineers",
        ),
    ),
    Family(
        "teacher",
        False,
        ("Python Instructor", "Coding Bootcamp Teacher (Data Engineering)"),
        ("teaching", "python"),
        ("sql", "airflow", "bigquery", "pandas"),
        ("teach Python and SQL to career changers", "design our data engineering curriculum"),
    ),
    Family(
        "analyst",
        False,
        ("Data Analyst", "Business Intelligence Analyst", "Financial Analyst"),
        ("sql", "excel", "statistics"),
        ("bigquery", "python", "accounting"),
        ("build dashboards for the finance team", "analyse customer churn"),
    ),
    Family(
        "other",
        False,
        (
            "Registered Nurse",
            "Accountant",
            "Customer Support Agent",
            "Marketing Manager",
            "Technical Writer",
        ),
        ("nursing", "accounting", "customer support", "seo", "excel"),
        ("sap", "rest apis", "python"),
        (
            "care for patients on a surgical ward",
            "close the monthly books",
            "answer customer tickets",
            "write our API documentation",
        ),
    ),
]

LEVELS = {
    "intern": ["Intern", "Working Student"],
    "junior": ["Junior", "Graduate", "Entry-level"],
    "mid": ["", ""],
    "senior": ["Senior", "Sr."],
    "lead": ["Lead", "Staff", "Principal"],
    "director": ["Head of", "Director,"],
}
ACTOR_LEVEL = {
    "intern": "Internship",
    "junior": "Entry level",
    "mid": "Associate",
    "senior": "Mid-Senior level",
    "lead": "Mid-Senior level",
    "director": "Director",
}
YEARS = {"intern": 0, "junior": 1, "mid": 3, "senior": 5, "lead": 8, "director": 10}
COMPANIES = [
    "Nordlicht Mobility", "Kranich Health", "Blauwal Analytics", "Fernweh Travel",
    "Eichhorn Payments", "Lumen Logistics", "Quellwerk Energy", "Sternwarte Media",
    "Hafenblick Insurance", "Tannenbaum Retail", "Orbitale Systems", "Wolkenlos Software",
    "Brückenbau Digital", "Feldhase Foods", "Morgenrot Labs", "Silberfisch Games",
]  # fmt: skip
PLACES = [
    ("Berlin, Berlin, Germany", False), ("Hamburg, Germany", False), ("Munich, Germany", False),
    ("Remote, Germany", True), ("Berlin, Germany", True), ("Amsterdam, Netherlands", False),
    ("London, United Kingdom", False),
]  # fmt: skip
INTROS = [
    "{company} builds software that {thing}. We are {size} people and growing.",
    "At {company} we {thing}. Our team of {size} works hybrid from {city}.",
    "{company} is a {size}-person company that {thing}.",
]
THINGS = [
    "helps hospitals schedule their staff", "moves parcels across Europe",
    "lets small shops accept payments", "plans greener business travel",
    "predicts energy demand for utilities", "powers streaming for regional broadcasters",
]  # fmt: skip
REQ_HEADS = ["Requirements", "What you bring", "Your profile", "Must have", "You have",
             "Qualifications"]  # fmt: skip
NICE_HEADS = ["Nice to have", "Bonus points", "Preferred", "Good to have"]
OFFER_HEADS = ["What we offer", "Benefits", "Why join us"]
OFFERS = ["30 days of vacation", "a learning budget of 1,500 EUR", "flexible hours",
          "a public transport ticket", "company pension plan", "home office equipment"]  # fmt: skip


def _say(rng: random.Random, skill: str) -> str:
    return rng.choice(SPELLINGS.get(skill, [skill]))


def _pick_required(rng: random.Random, fam: Family) -> list[str]:
    n = rng.randint(3, 6)
    pool = list(fam.core)
    rng.shuffle(pool)
    # sometimes swap in skills from the wider pool: this is what makes a posting a bad fit
    swaps = rng.choice([0, 0, 1, 1, 2, 3]) if fam.on_target else rng.randint(0, 2)
    chosen = pool[: n - min(swaps, n - 1)]
    extra = [s for s in fam.extra if s not in chosen]
    rng.shuffle(extra)
    return chosen + extra[: n - len(chosen)]


def _label(fam: Family, level: str, required: list[str], years: int) -> tuple[int, str]:
    share = sum(1 for s in required if s in CANDIDATE) / len(required)
    why = f"{fam.name}, {level}, {share:.0%} of required skills, {years}+ years"
    good = fam.on_target and level in ("mid", "senior", "lead") and share >= 0.6 and years <= 9
    return int(good), why


def _requirements_text(
    rng: random.Random, required: list[str], nice: list[str], years: int, html: bool
) -> str:
    yrs = f"{years}+ years of professional experience" if years else "a first internship"
    if rng.random() < 0.25:  # prose, no headings
        req = ", ".join(_say(rng, s) for s in required)
        text = f"You have {yrs} and solid skills in {req}."
        if nice:
            text += f" Experience with {' or '.join(_say(rng, s) for s in nice)} is a plus."
        return text
    lines = [f"{years}+ years of experience in a similar role" if years else yrs]
    lines += [
        rng.choice(
            ["Strong {s}", "Hands-on experience with {s}", "You know {s} well", "{s}"]
        ).format(s=_say(rng, s))
        for s in required
    ]
    nice_lines = [_say(rng, s) for s in nice]
    if html:
        out = f"<h3>{rng.choice(REQ_HEADS)}</h3><ul>" + "".join(f"<li>{x}</li>" for x in lines)
        out += "</ul>"
        if nice_lines:
            out += f"<h3>{rng.choice(NICE_HEADS)}</h3><ul>"
            out += "".join(f"<li>{x}</li>" for x in nice_lines) + "</ul>"
        return out
    out = rng.choice(REQ_HEADS) + ":\n" + "\n".join(f"- {x}" for x in lines)
    if nice_lines:
        out += "\n\n" + rng.choice(NICE_HEADS) + ":\n" + "\n".join(f"- {x}" for x in nice_lines)
    return out


def make_posting(
    rng: random.Random, number: int, fam: Family, level: str | None = None
) -> tuple[dict, int, str]:
    """One bebity-shaped LinkedIn item, its label (1 = good fit) and why."""
    level = level or rng.choice(["intern", "junior", "mid", "mid", "senior", "senior", "lead",
                                 "director"])  # fmt: skip
    if fam.name == "manager":
        level = rng.choice(["senior", "lead", "director"])
    base = rng.choice(fam.titles)
    prefix = rng.choice(LEVELS[level])
    title = f"{prefix} {base}".strip() if prefix and not base.startswith(("Head", "Dir")) else base
    required = _pick_required(rng, fam)
    nice = [s for s in fam.extra if s not in required]
    rng.shuffle(nice)
    nice = nice[: rng.randint(0, 3)]
    years = max(0, YEARS[level] + rng.choice([-1, 0, 0, 1, 2]))
    if rng.random() < 0.08:
        years = rng.choice([10, 12])
    company = rng.choice(COMPANIES)
    place, remote = rng.choice(PLACES)
    html = rng.random() < 0.4
    intro = rng.choice(INTROS).format(
        company=company, thing=rng.choice(THINGS), size=rng.choice([40, 120, 300, 900]),
        city=place.split(",")[0],
    )  # fmt: skip
    duties = rng.sample(list(fam.duties), k=min(2, len(fam.duties)))
    role = f"As our {title} you will {duties[0]}" + (
        f" and {duties[1]}." if len(duties) > 1 else "."
    )
    offer_head = rng.choice(OFFER_HEADS)
    offers = rng.sample(OFFERS, k=3)
    reqs = _requirements_text(rng, required, nice, years, html)
    if html:
        desc = (
            f"<p>{intro}</p><p>{role}</p>{reqs}<h3>{offer_head}</h3><ul>"
            + "".join(f"<li>{o}</li>" for o in offers)
            + "</ul>"
        )
    else:
        desc = f"{intro}\n\n{role}\n\n{reqs}\n\n{offer_head}:\n" + "\n".join(
            f"- {o}" for o in offers
        )
    if rng.random() < 0.15:
        desc += ("\n\n" if not html else "<p>") + "Apply at jobs@" + company.split()[0].lower()
        desc += ".example.com" + ("" if not html else "</p>")
    label, why = _label(fam, level, required, years)
    item = {
        "id": str(4_100_000_000 + number),
        "title": title,
        "companyName": company,
        "location": place,
        "jobUrl": f"https://www.linkedin.com/jobs/view/{4_100_000_000 + number}/",
        "postedTime": f"{rng.randint(1, 20)} days ago",
        "publishedAt": f"2026-11-{rng.randint(5, 25):02d}",
        "experienceLevel": ACTOR_LEVEL[level],
        "contractType": "Full-time",
        "workType": "Remote" if remote else rng.choice(["On-site", "Hybrid"]),
        ("descriptionHtml" if html else "description"): desc,
    }
    return item, label, why


def generate(
    seed: int, n: int, on_target_share: float = 0.45, only_on_target: bool = False
) -> list[tuple[dict, int, str]]:
    """``n`` postings (item, label, why), reproducible from ``seed``."""
    rng = random.Random(seed)
    on = [f for f in FAMILIES if f.on_target]
    off = [f for f in FAMILIES if not f.on_target]
    out = []
    for i in range(n):
        fam = (
            rng.choice(on) if only_on_target or rng.random() < on_target_share else rng.choice(off)
        )
        out.append(make_posting(rng, seed * 100_000 + i, fam))
    return out


def main() -> None:
    folder = Path(__file__).parent / "data"
    folder.mkdir(exist_ok=True)
    rows = generate(seed=7, n=300)
    with (folder / "postings.jsonl").open("w", encoding="utf-8") as out:
        for item, _, _ in rows:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    labels = {item["id"]: {"good": label, "why": why} for item, label, why in rows}
    (folder / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(rows)} postings, {sum(r[1] for r in rows)} good fits")


if __name__ == "__main__":
    main()
