"""Shape detection by evidence, on real-shaped fixtures of our own: a spreadsheet re-export
without ``jobUrl``, an Apify CSV export with ``a/b`` columns, blackfalcondata's drifted
LinkedIn schema, and items too ambiguous or too thin to guess."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from common.adapters.dataset_file import iter_dataset_file
from common.domain.job import Job, Location
from common.normalize import Rejection, normalize
from common.normalize.ids import clean_id
from common.normalize.registry import choose, identify

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "apify"
FINISHED = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def results(name: str) -> list[Job | Rejection]:
    return [normalize(item, FINISHED) for item in iter_dataset_file(FIXTURES / name)]


def test_spreadsheet_reexport_without_job_url() -> None:
    *jobs, mangled = results("linkedin_spreadsheet_reexport.csv")
    assert all(isinstance(j, Job) for j in jobs)
    controller, backend, analyst, sales = jobs  # type: ignore[misc]
    assert controller.job_url == "https://www.linkedin.com/jobs/view/4300000101"  # from the id
    assert controller.canonical_url == "https://linkedin.com/jobs/view/4300000101"
    assert controller.emails == ["jobs@ledgerline.example"]
    assert controller.compensation and controller.compensation.min_amount == 62000
    assert backend.location == Location(city="Munich", state="Bavaria", country="DE")
    assert analyst.source_id == "4300000103"  # "4300000103.0": a spreadsheet's float, read back
    assert analyst.location == Location(city="Austin", state="TX", country="US")
    assert sales.location == Location(country="BE")  # the country in the state column
    assert isinstance(mangled, Rejection)
    assert mangled.reason == (
        "linkedin-bebity: id cut short by a spreadsheet (scientific notation), no job URL"
    )


def test_apify_csv_export_with_flattened_columns() -> None:
    nurse, support = results("indeed_nested_export.csv")
    assert isinstance(nurse, Job) and isinstance(support, Job)
    assert nurse.location == Location(city="Columbus", state="OH", country="US")
    assert nurse.is_remote is False and support.is_remote is True  # "false" / "true" cells
    assert nurse.job_type == ["Full-time", "Part-time"]  # jobType/0, jobType/1
    assert nurse.emails == ["nursing@staurelia.example"]  # emails/0
    assert nurse.compensation and (nurse.compensation.interval, nurse.compensation.max_amount) == (
        "hourly",
        55,
    )
    assert support.location == Location(city="Hamburg", country="DE")
    assert support.compensation and support.compensation.min_amount == 48000
    assert support.date_posted == date(2026, 11, 24)


def test_blackfalcondata_drifted_schema() -> None:
    items = list(iter_dataset_file(FIXTURES / "linkedin_blackfalcon.json"))
    assert {getattr(choose(i), "name", None) for i in items} == {"linkedin-blackfalcon"}
    platform, quality, data = (normalize(i, FINISHED) for i in items)
    assert isinstance(platform, Job) and isinstance(quality, Job) and isinstance(data, Job)
    # country "CA" only repeats the state of "San Francisco, CA"
    assert platform.location == Location(city="San Francisco", state="CA", country="US")
    assert quality.location == Location(city="Indianapolis", state="IN", country="US")
    assert data.location == Location(city="Hamburg", state="Hamburg", country="DE")
    assert platform.compensation and platform.compensation.max_amount == 210000
    assert platform.emails == ["talent@halcyon.example"]
    assert platform.date_posted == date(2026, 11, 23)
    assert quality.description == "Own FMEA and control plans on the machining line."
    assert data.is_remote is True and quality.is_remote is None
    # LinkedIn's job id: the same posting from bebity's actor is the same job
    bebity = {"id": "4400000201", "jobUrl": "https://x.example/a", "companyName": "Halcyon Labs",
              "title": "Platform Engineer", "postedTime": "3 days ago"}  # fmt: skip
    assert normalize(bebity, FINISHED).id == platform.id  # type: ignore[union-attr]


def test_ambiguous_and_unknown_items_say_why() -> None:
    reasons = [getattr(r, "reason", None) for r in results("ambiguous.json")]
    assert reasons == [
        "ambiguous item shape (indeed-flat or indeed-nested; choose one with --source NAME)",
        "unknown item shape (closest: linkedin-bebity; if it is one, use --source "
        "bebity/linkedin-jobs-scraper)",
        "unknown item shape (no field of a supported actor)",
    ]


def test_source_settles_what_the_keys_cannot() -> None:
    tie, thin, _ = iter_dataset_file(FIXTURES / "ambiguous.json")
    assert isinstance(normalize(tie, FINISHED, "indeed-nested"), Job)
    assert isinstance(normalize(thin, FINISHED, "bebity/linkedin-jobs-scraper"), Job)
    assert isinstance(normalize(thin, FINISHED, hint="bebity/linkedin-jobs-scraper"), Job)
    flat = normalize(tie, FINISHED, "misceres/indeed-scraper")  # an actor with both shapes
    assert getattr(flat, "reason", "").startswith("ambiguous item shape for misceres")


def test_a_unique_best_match_wins_with_keys_missing() -> None:
    item = {"id": "77", "title": "T", "companyName": "C", "contractType": "Full-time",
            "experienceLevel": "Associate", "city": "Lisbon"}  # fmt: skip
    job = normalize(item, FINISHED)
    assert isinstance(job, Job) and job.job_url == "https://www.linkedin.com/jobs/view/77"
    assert job.location == Location(city="Lisbon", country="PT")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_the_cheap_id_is_the_job_id(name: str) -> None:
    """Duplicates are found by the id computed before normalizing: it must be the job's id."""
    for item in iter_dataset_file(FIXTURES / name):
        job, found = normalize(item, FINISHED), identify(item)
        if isinstance(job, Job):
            assert not isinstance(found, Rejection) and found.id == job.id


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("42", "42"), (42, "42"), (4300000103.0, "4300000103"), ("4300000103.0", "4300000103"),
     ("4.3E+09", None), (4.5, None), (True, None), (None, None), ("", None), ("  a1 ", "a1"),
     ("0042", "0042"), (" 42\n", "42"), ("\u0664\u0662", "\u0664\u0662"), ("4\x002", "42")],
)  # fmt: skip
def test_clean_id(raw: object, clean: str | None) -> None:
    assert clean_id(raw) == clean
