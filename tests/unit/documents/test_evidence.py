"""Evidence a hiring manager would accept: each requirement the letter names is shown by a line
of the profile that names it (or, when nothing does, a framework that implies it), one line per
requirement, most important first; a requirement with nothing to show is left out rather than
followed by an unrelated highlight; a word of the posting is not a profile's library name."""

from __future__ import annotations

import re
from datetime import date

from common.documents.content import build_content
from common.documents.requirements import match_requirements
from common.domain.candidate import Profile
from common.domain.job import Job, Location

TODAY = date(2026, 11, 26)


def backend_profile() -> Profile:
    """A backend engineer written the way real resumes are: skills under category names, a
    framework named where the language is not, one highlight naming two tools, a project whose
    keywords list a product its lines never name, and a library called "Requests"."""
    return Profile.model_validate(
        {
            "basics": {"name": "Morgan Reyes", "label": "Backend Engineer"},
            "work": [
                {
                    "name": "Calder Payments",
                    "position": "Backend Engineer",
                    "startDate": "2021-03",
                    "endDate": "2024-06",
                    "highlights": [
                        "Automated settlement emails with Exchangelib, saving 30 hours a month",
                        "Built a reconciliation service in Django serving 40 internal users",
                        "Moved 14 services to Docker containers running on GKE",
                        "Cut nightly report time from 3 hours to 20 minutes with Pandas",
                    ],
                },
                {
                    "name": "Tidewater Media",
                    "position": "Software Developer",
                    "startDate": "2018-01",
                    "endDate": "2021-02",
                    "highlights": [
                        "Loaded 3 million catalogue rows into MySQL for full-text search",
                        "Scraped partner feeds with Requests and Scrapy",
                        "Set up a Jenkins CI/CD pipeline for 9 repositories",
                    ],
                },
            ],
            "skills": [
                {"name": "Languages", "keywords": ["Python", "Java", "SQL", "HTML"]},
                {"name": "Tools", "keywords": ["Docker", "Kubernetes", "Git"]},
                {"name": "Libraries", "keywords": ["Requests", "Pandas"]},
            ],
            "projects": [
                {
                    "name": "Draftboard",
                    "keywords": ["Java", "Spring Boot", "OpenAI", "GCP"],
                    "highlights": [
                        "REST endpoints in Spring Boot for documents and users",
                        "Inline writing suggestions from GPT models",
                    ],
                }
            ],
        }
    )


def job(description: str, title: str = "Backend Engineer") -> Job:
    return Job(
        id="job-ev",
        title=title,
        company="Northwind Ledger",
        location=Location(city="Austin", country="United States"),
        description=description,
        source="test",
        status="matched",
    )


def letter_body(description: str, title: str = "Backend Engineer") -> str:
    result = build_content(backend_profile(), job(description, title), None, today=TODAY)
    return " ".join(result.letter.paragraphs)


def evidence_of(description: str) -> dict[str, str]:
    match = match_requirements(backend_profile(), job(description))
    return {r.name: r.evidence.text for r in match.top if r.evidence is not None}


def test_a_requirement_named_by_no_line_gets_a_line_of_what_implies_it_never_an_unrelated_one():
    posting = "You write Python and SQL every day on a payments backend."
    found = evidence_of(posting)
    assert "Django" in found["Python"]  # Django code is Python code
    assert "MySQL" in found["SQL"]  # a MySQL database is queried in SQL
    body = letter_body(posting)
    assert "Exchangelib" not in body, body


def test_a_product_only_in_a_projects_keywords_is_not_quoted_with_an_unrelated_line():
    posting = "Experience with Java and the OpenAI API is a must."
    found = evidence_of(posting)
    assert found["Java"].startswith("REST endpoints in Spring Boot")  # Spring Boot is Java
    assert found["OpenAI"] == ""  # listed by the project, named by none of its lines
    body = letter_body(posting)
    sentence = next(s for s in re.split(r"(?<=\.) ", body) if "OpenAI" in s and "project" in s)
    assert "REST endpoints" not in sentence, sentence


def test_one_highlight_is_evidence_for_one_requirement_only():
    posting = "We run Docker and Kubernetes in production. You know SQL and Python."
    match = match_requirements(backend_profile(), job(posting))
    texts = [r.evidence.text for r in match.top if r.evidence is not None]
    assert len(texts) == len(set(texts)), texts
    assert len(match.top) >= 2


def test_a_requirement_with_nothing_to_show_is_left_out_when_others_are_shown():
    posting = "Strong HTML skills. Docker and SQL in daily use."
    names = [r.name for r in match_requirements(backend_profile(), job(posting)).top]
    assert names == ["Docker", "SQL"] or set(names) == {"Docker", "SQL"}, names
    assert "HTML" not in letter_body(posting)


def test_evidence_is_the_most_specific_and_recent_line_and_requirements_keep_posting_order():
    posting = "Backend Engineer (Django). Django is our framework; CI/CD with Jenkins is a plus."
    match = match_requirements(backend_profile(), job(posting, "Backend Engineer (Django)"))
    assert [r.name for r in match.top][:2] == ["Django", "CI/CD"]
    assert match.top[0].evidence.text.startswith("Built a reconciliation service in Django")


def test_an_english_word_of_the_posting_is_not_the_profiles_library_of_that_name():
    posting = "Our API serves millions of requests per second. You know Python."
    names = [r.name for r in match_requirements(backend_profile(), job(posting)).top]
    assert "Requests" not in names and "requests" not in names, names
    assert "Requests" not in letter_body(posting)


def test_two_products_only_in_one_projects_keywords_are_named_in_one_sentence():
    body = letter_body("You have shipped features on the OpenAI API and GCP.")
    sentence = next(s for s in re.split(r"(?<=\.) ", body) if "project Draftboard" in s)
    assert "OpenAI" in sentence and "GCP" in sentence, sentence
    assert body.count("project Draftboard") == 1, body


def test_requirements_glued_to_the_next_line_by_the_scrape_are_still_requirements():
    # LinkedIn's text drops line breaks: "in Python3+ years", "platformDocker and Kubernetes"
    posting = (
        "Build the platformDocker and Kubernetes in productionQualifications"
        "Object Oriented Programming in Python3+ years of backend work"
    )
    names = {r.name for r in match_requirements(backend_profile(), job(posting)).requirements}
    assert {"Python", "Docker", "Kubernetes"} <= names, names


def test_three_highlights_of_one_job_do_not_each_start_with_i_also():
    body = letter_body("You know Django, Docker and Pandas; we ship every day.")
    assert body.count("At Calder Payments, I ") == 1, body
    assert body.count("I also ") == 1, body
    assert "In the same role, I " in body, body


def test_a_highlight_the_letter_quotes_is_on_the_resume_too():
    profile = backend_profile()
    # five busier highlights that share the posting's words push the quoted one out of the top 4
    profile.work[0].highlights = [
        "Built payment settlement APIs for payment settlement teams in Django",
        "Ran payment settlement reports for payment settlement teams in Django",
        "Owned payment settlement batch jobs for payment settlement teams in Django",
        "Tuned payment settlement queries for payment settlement teams in Django",
        "Moved 14 services to Docker containers running on GKE",
    ]
    posting = "Django for payment settlement teams: settlement APIs, reports, batch jobs. Docker."
    result = build_content(profile, job(posting), None, today=TODAY)
    quoted = [h for h in profile.work[0].highlights if h[1:] in " ".join(result.letter.paragraphs)]
    bullets = [b for s in result.resume.sections for e in s.entries for b in e.bullets]
    assert quoted, result.letter.paragraphs
    assert all(h in bullets for h in quoted), (quoted, bullets)
