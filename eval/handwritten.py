"""A second, hand-written labelled set: 36 postings written one by one, labelled by judgement.

Unlike ``eval/postings.py`` (templates, labels by rule) these are free text in the styles real
postings use (prose, odd headings, German/English mix, "Software Engineer III", "Member of
Technical Staff"), and each label is a person's call for the sample profile (senior
backend/data engineer, Python and Google Cloud, about nine years, Berlin): would they want
this one in front of them? ``python -m eval.handwritten`` rewrites ``data/handwritten*.json*``
and ``data/heldout*.json*``.

``POSTINGS`` was used once to find vocabulary gaps of the scorer (German titles, "Member of
Technical Staff", "Trainer", skills named only in the title); ``HELD_OUT`` was written after
that and never used to change the scorer.
"""

from __future__ import annotations

import json
from pathlib import Path

# (title, company, location, level, description, good fit?, why)
POSTINGS: list[tuple[str, str, str, str, str, int, str]] = [
    (
        "Software Engineer III, Data Infrastructure",
        "Kestrel Freight",
        "Berlin, Germany",
        "Mid-Senior level",
        "Our data infrastructure team keeps 4 TB a day of telemetry flowing. What you'll need: "
        "several years building production services in Python; batch and streaming pipelines "
        "(we use Apache Beam on Dataflow and Pub/Sub); BigQuery; infrastructure as code. "
        "Ideally you also have Go experience. We pay 80-95k EUR.",
        1,
        "data infra, GCP, Python",
    ),
    (
        "Member of Technical Staff (Backend)",
        "Quanten Robotics",
        "Munich, Germany",
        "Mid-Senior level",
        "We are a small team building fleet software for warehouse robots. You'll design APIs "
        "in Python (FastAPI) backed by Postgres, deploy on Kubernetes, and own what you ship. "
        "5+ years of backend experience. Rust is a bonus, not a must.",
        1,
        "backend Python",
    ),
    (
        "Backend-Entwickler (m/w/d) Python",
        "Stadtwerke Digital",
        "Hamburg, Germany",
        "Mid-Senior level",
        "Deine Aufgaben: Entwicklung von REST-Schnittstellen mit Django, Betrieb auf GCP. "
        "Dein Profil: mehrjährige Erfahrung mit Python und PostgreSQL, Docker, CI/CD. "
        "Wir bieten: 30 Tage Urlaub, Homeoffice.",
        1,
        "German posting, exact stack",
    ),
    (
        "Senior Data Engineer",
        "Rheinblick Insurance",
        "Cologne, Germany",
        "Mid-Senior level",
        "Requirements:\n- 6+ years of data engineering\n- Scala and Spark (our whole codebase is "
        "Scala)\n- Kafka Streams\n- Hadoop/HDFS operations\n- AWS EMR\nNice: Python",
        0,
        "Scala/Hadoop/AWS shop; Python only nice",
    ),
    (
        "Staff Engineer, Platform",
        "Lumen Payments",
        "Remote, Germany",
        "Mid-Senior level",
        "You will shape our internal platform: Terraform modules, GKE clusters, CI/CD for 60 "
        "services. You bring 8+ years of engineering, deep Kubernetes and Google Cloud, and you "
        "write Python or Go for tooling.",
        1,
        "platform on GCP, staff",
    ),
    (
        "Python Developer (Working Student)",
        "Campus Apps",
        "Berlin, Germany",
        "Internship",
        "Study computer science? Join us 20 hours a week and write Python and Django.",
        0,
        "working student",
    ),
    (
        "Senior Java Engineer",
        "Nordbank Digital",
        "Frankfurt, Germany",
        "Mid-Senior level",
        "Your profile: 7 years of Java, Spring Boot, Hibernate, Oracle, and banking domain "
        "knowledge. Experience with Kubernetes and Python scripting is a plus.",
        0,
        "Java banking",
    ),
    (
        "Data Platform Engineer",
        "Grünkraft Energy",
        "Berlin, Germany",
        "Associate",
        "We forecast solar output for 2,000 plants. Tasks: Airflow DAGs, dbt models in "
        "BigQuery, Terraform for GCP. Profile: 3+ years with Python and SQL, Airflow.",
        1,
        "exact stack, mid level fine",
    ),
    (
        "Head of Data",
        "Mosaik Retail",
        "Berlin, Germany",
        "Director",
        "Lead 15 data engineers and analysts, own the data strategy, report to the CTO. "
        "Background in BigQuery, Airflow and Python expected. 12+ years, 5 of them leading.",
        0,
        "director, people lead",
    ),
    (
        "Junior Backend Engineer",
        "Tiny Tickets",
        "Berlin, Germany",
        "Entry level",
        "First job after university? You know some Python and SQL and want to learn Django "
        "and Docker from our seniors.",
        0,
        "junior",
    ),
    (
        "Technical Account Manager, Google Cloud",
        "Wolkenhaus Consulting",
        "Berlin, Germany",
        "Mid-Senior level",
        "Be the trusted advisor of our enterprise customers on Google Cloud: BigQuery, Cloud "
        "Run, Pub/Sub, Terraform. Own renewals and expansion revenue. Python a plus.",
        0,
        "account management, quota",
    ),
    (
        "Backend Engineer (Go)",
        "Pfeil Logistics",
        "Remote, Germany",
        "Mid-Senior level",
        "Requirements: strong Go, gRPC, PostgreSQL, Kubernetes. 4+ years. We do not use "
        "Python in production.",
        0,
        "Go shop",
    ),
    (
        "Senior Software Engineer – Backend & Data",
        "Schwarm Mobility",
        "Berlin, Germany",
        "Mid-Senior level",
        "You will build the services and pipelines behind our scooter fleet. We work with "
        "Python (FastAPI), Postgres, Pub/Sub and BigQuery on Google Cloud; Terraform for infra. "
        "You have 5+ years and care about testing (pytest).",
        1,
        "near perfect",
    ),
    (
        "Machine Learning Engineer",
        "Vision Harbor",
        "Hamburg, Germany",
        "Mid-Senior level",
        "Train and deploy computer vision models. Must: PyTorch, CUDA, 4+ years of ML, "
        "publications a plus. Python, Docker, Kubernetes for serving.",
        0,
        "ML research-ish",
    ),
    (
        "Cloud Engineer",
        "Bergwerk IT",
        "Leipzig, Germany",
        "Associate",
        "Migrate customer workloads from on-prem VMware to Google Cloud. Terraform, GKE, "
        "Cloud Run, Linux, some Python scripting. 3 years of experience.",
        1,
        "GCP migration, plausible",
    ),
    (
        "Senior Data Analyst",
        "Kiosk Commerce",
        "Berlin, Germany",
        "Mid-Senior level",
        "Answer business questions with SQL in BigQuery, build Looker dashboards, run A/B "
        "tests. Python (pandas) nice to have.",
        0,
        "analyst role",
    ),
    (
        "DevOps Engineer (Azure)",
        "Sanitas Health IT",
        "Munich, Germany",
        "Mid-Senior level",
        "Must have: Azure DevOps, ARM/Bicep, AKS, PowerShell, Windows Server. 5 years.",
        0,
        "Azure/Windows",
    ),
    (
        "Backend Engineer",
        "Hafen Analytics",
        "Bremen, Germany",
        "Mid-Senior level",
        "We build maritime tracking APIs. You know Python well (Flask or FastAPI), PostgreSQL "
        "with PostGIS, Docker. AWS experience helps, GCP is fine too.",
        1,
        "backend Python",
    ),
    (
        "Senior Site Reliability Engineer",
        "Streamline Media",
        "Berlin, Germany",
        "Mid-Senior level",
        "Keep our video platform up: Kubernetes, Prometheus/Grafana, Terraform, on-call. "
        "You automate with Python or Go. 6+ years in operations-heavy roles.",
        1,
        "SRE, overlapping stack",
    ),
    (
        "Frontend Engineer (React)",
        "Pixelwerk",
        "Berlin, Germany",
        "Mid-Senior level",
        "TypeScript, React, Next.js, CSS. Our backend is Python/Django on GCP (no backend work "
        "in this role).",
        0,
        "frontend",
    ),
    (
        "Lead Data Engineer",
        "Mediacorp Analytics",
        "Hamburg, Germany",
        "Mid-Senior level",
        "Lead a team of four while staying hands-on: Spark, Airflow, BigQuery, Python. You have "
        "8+ years and have mentored engineers.",
        1,
        "lead but hands-on",
    ),
    (
        "Python Trainer (freelance)",
        "CodeAcademy Süd",
        "Stuttgart, Germany",
        "Associate",
        "Teach Python, SQL and Airflow basics in our evening bootcamp. Didactic experience "
        "required.",
        0,
        "teaching",
    ),
    (
        "Senior Backend Engineer (Kotlin)",
        "Fahrrad24",
        "Berlin, Germany",
        "Mid-Senior level",
        "Our stack: Kotlin, Spring, PostgreSQL, Kafka, AWS. You have 5+ years with Kotlin or "
        "Java. Python knowledge is not needed.",
        0,
        "Kotlin",
    ),
    (
        "Software Engineer, Data Pipelines",
        "Openfield Agro",
        "Remote, Germany",
        "Associate",
        "Write ETL in Python that ingests satellite data into BigQuery; orchestrate with "
        "Airflow; deploy on Cloud Run. 2-4 years of experience.",
        1,
        "exact stack",
    ),
    (
        "IT Support Specialist",
        "Praxisnetz",
        "Berlin, Germany",
        "Associate",
        "First-level support, Windows clients, printers, Microsoft 365. Some PowerShell or "
        "Python scripting welcome.",
        0,
        "IT support",
    ),
    (
        "Senior Analytics Engineer",
        "Beet Foods",
        "Berlin, Germany",
        "Mid-Senior level",
        "dbt, SQL, BigQuery, Airflow; Python for the odd script. You turn raw events into "
        "trusted models for analysts. 5 years.",
        1,
        "analytics eng on BigQuery",
    ),
    (
        "Principal Engineer",
        "Sternlicht Bank",
        "Frankfurt, Germany",
        "Mid-Senior level",
        "Set architecture for 300 engineers across Java and .NET services on Azure. 15+ years "
        "of experience required.",
        0,
        "principal, 15 years, Java/.NET",
    ),
    (
        "Backend Developer (Node.js)",
        "Snack Delivery",
        "Berlin, Germany",
        "Mid-Senior level",
        "Node.js, TypeScript, NestJS, MongoDB, AWS Lambda. 4 years.",
        0,
        "Node stack",
    ),
    (
        "Data Engineer (m/f/d)",
        "Kranich Health",
        "Berlin, Germany",
        "Mid-Senior level",
        "Ihre Aufgaben: Aufbau von Datenpipelines mit Python und Apache Spark; Betrieb in der "
        "Google Cloud (BigQuery, Cloud Composer). Ihr Profil: 4+ Jahre Erfahrung, SQL.",
        1,
        "German, exact stack",
    ),
    (
        "Solutions Architect",
        "Cloudwise Partners",
        "Munich, Germany",
        "Mid-Senior level",
        "Pre-sales architecture for GCP data platforms: workshops, proposals, proof of concepts "
        "with BigQuery and Dataflow. Travel 40 %.",
        0,
        "pre-sales, travel",
    ),
    (
        "Senior Python Engineer",
        "Ledgerly",
        "Remote, Germany",
        "Mid-Senior level",
        "Fintech backend: Python 3.12, Django, Celery, PostgreSQL, Redis, Docker. You have 6+ "
        "years of Python and have run services in production.",
        1,
        "backend Python",
    ),
    (
        "Embedded Software Engineer",
        "Motorwerk",
        "Stuttgart, Germany",
        "Mid-Senior level",
        "C, C++, AUTOSAR, CAN bus. Python for test automation is a plus.",
        0,
        "embedded",
    ),
    (
        "Engineering Manager, Data",
        "Tandem Travel",
        "Berlin, Germany",
        "Director",
        "Manage two data teams (10 people), hire, run planning. Hands-on coding is not part of "
        "the role.",
        0,
        "manager, no coding",
    ),
    (
        "Backend Engineer, Search",
        "Bücherwurm",
        "Leipzig, Germany",
        "Mid-Senior level",
        "Python services around Elasticsearch; REST APIs; Kubernetes on Google Cloud. 4+ years.",
        1,
        "backend Python GCP",
    ),
    (
        "Werkstudent Data Engineering",
        "Energiewerk",
        "Hamburg, Germany",
        "Internship",
        "Unterstütze unser Team bei Python- und SQL-Pipelines in BigQuery. 16-20 Std./Woche.",
        0,
        "working student",
    ),
    (
        "Senior Platform Engineer (AWS)",
        "Retailio",
        "Berlin, Germany",
        "Mid-Senior level",
        "Terraform, EKS, AWS networking, Python tooling. 5+ years. GCP experience transfers "
        "well, we know.",
        1,
        "platform, transferable",
    ),
]


#: written after the scorer was frozen and never used to change it: the held-out check
HELD_OUT: list[tuple[str, str, str, str, str, int, str]] = [
    (
        "Python Backend Engineer (Payments)",
        "Zahlwerk",
        "Berlin, Germany",
        "Mid-Senior level",
        "You'll own our payouts service. Tech: Python, FastAPI, PostgreSQL, Celery, GCP "
        "(Cloud SQL, Pub/Sub). We expect 4+ years writing backend code and solid testing habits.",
        1,
        "backend Python GCP",
    ),
    (
        "Data Engineer II",
        "Wellenreiter Media",
        "Hamburg, Germany",
        "Associate",
        "Build and run our ELT: Fivetran, dbt, Snowflake; Python for custom connectors; Airflow. "
        "3 years of experience.",
        1,
        "data eng, mostly transferable",
    ),
    (
        "Senior Scala Engineer",
        "Datastrom",
        "Berlin, Germany",
        "Mid-Senior level",
        "Functional Scala (Cats, ZIO), Akka Streams and Kafka. 6 years of Scala.",
        0,
        "Scala FP",
    ),
    (
        "Senior Software Engineer, Infrastructure",
        "Gleis Mobility",
        "Remote, Germany",
        "Mid-Senior level",
        "Our infra runs on Google Cloud with GKE and Terraform; you'll build internal tooling in "
        "Python and improve our CI/CD. 5+ years.",
        1,
        "infra on GCP",
    ),
    (
        "Product Manager, Data Platform",
        "Orbit Analytics",
        "Berlin, Germany",
        "Mid-Senior level",
        "Define the roadmap for our BigQuery-based data platform, talk to customers, write "
        "specs. Technical background (SQL, Python) appreciated.",
        0,
        "product manager",
    ),
    (
        "Werkstudent (m/w/d) Backend",
        "Lernfix",
        "Dresden, Germany",
        "Internship",
        "Du studierst Informatik und kennst Python und Django.",
        0,
        "working student",
    ),
    (
        "Backend Engineer – Python/Django",
        "Mietfair",
        "Berlin, Germany",
        "Mid-Senior level",
        "Django monolith with PostgreSQL and Redis, deployed with Docker on Kubernetes. You have "
        "several years of Django in production.",
        1,
        "Django backend",
    ),
    (
        "Senior iOS Engineer",
        "Fitlab",
        "Berlin, Germany",
        "Mid-Senior level",
        "Swift, SwiftUI, Combine; our backend is Python on GCP.",
        0,
        "iOS",
    ),
    (
        "Cloud Data Engineer (GCP)",
        "Kornfeld Analytics",
        "Munich, Germany",
        "Mid-Senior level",
        "Dataflow, BigQuery, Cloud Composer (Airflow), Python, Terraform. 5+ years.",
        1,
        "exact stack",
    ),
    (
        "Sales Engineer, Data Platform",
        "Lakebridge",
        "Berlin, Germany",
        "Mid-Senior level",
        "Run technical demos of our Python SDK and BigQuery integration for prospects; support "
        "account executives to close deals.",
        0,
        "sales engineering",
    ),
    (
        "Senior Backend Engineer (C#/.NET)",
        "Versicherungsplattform",
        "Cologne, Germany",
        "Mid-Senior level",
        "C#, ASP.NET Core, SQL Server, Azure. 5 years.",
        0,
        ".NET",
    ),
    (
        "Site Reliability Engineer",
        "Funkturm Telecom",
        "Berlin, Germany",
        "Associate",
        "On-call for our Kubernetes platform, Prometheus alerts, Terraform; Python scripts for "
        "automation. 3+ years.",
        1,
        "SRE, overlapping stack",
    ),
    (
        "Chief Technology Officer",
        "Seed Startup GmbH",
        "Berlin, Germany",
        "Executive",
        "Build the tech team from zero; Python/GCP stack preferred.",
        0,
        "CTO",
    ),
    (
        "Software Engineer (Backend, Go/Python)",
        "Netzwerk Energie",
        "Leipzig, Germany",
        "Mid-Senior level",
        "Services in Go and Python, PostgreSQL, Kafka, Kubernetes on GCP. You know at least one "
        "of Go or Python well.",
        1,
        "Python accepted",
    ),
    (
        "QA Automation Engineer",
        "Testwerk",
        "Berlin, Germany",
        "Mid-Senior level",
        "Selenium, Cypress, pytest; build test frameworks for web apps.",
        0,
        "QA",
    ),
    (
        "Data Scientist",
        "Klarblick Retail",
        "Berlin, Germany",
        "Mid-Senior level",
        "Forecast demand with Python (scikit-learn, Prophet), SQL in BigQuery; statistics degree "
        "preferred.",
        0,
        "data science",
    ),
]


def write(rows: list, stem: str, start: int) -> None:
    """``data/<stem>.jsonl`` and ``data/<stem>_labels.json`` from ``rows``."""
    folder = Path(__file__).parent / "data"
    items, labels = [], {}
    for n, (title, company, place, level, text, good, why) in enumerate(rows):
        item_id = str(start + n)
        items.append(
            {
                "id": item_id,
                "title": title,
                "companyName": company,
                "location": place,
                "jobUrl": f"https://www.linkedin.com/jobs/view/{item_id}/",
                "postedTime": "3 days ago",
                "publishedAt": "2026-11-23",
                "experienceLevel": level,
                "contractType": "Full-time",
                "workType": "Remote" if place.startswith("Remote") else "Hybrid",
                "description": text,
            }
        )
        labels[item_id] = {"good": good, "why": why}
    with (folder / f"{stem}.jsonl").open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    (folder / f"{stem}_labels.json").write_text(
        json.dumps(labels, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{stem}: {len(items)} postings, {sum(v['good'] for v in labels.values())} good fits")


def main() -> None:
    write(POSTINGS, "handwritten", 4_200_000_000)
    write(HELD_OUT, "heldout", 4_300_000_000)


if __name__ == "__main__":
    main()
