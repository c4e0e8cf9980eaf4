"""Hard filters: each rule filters what it should, names itself, and ignores unknown facts."""

from __future__ import annotations

from datetime import date

import pytest

from common.analysis.filters import apply_filters, seniority_of
from common.domain.job import Compensation, Location
from common.domain.preferences import Filters, SalaryFloor
from tests.helpers.postings import NOW, job


@pytest.mark.parametrize(
    ("filters", "fields", "rule"),
    [
        (Filters(locations=["Munich"]), {}, "locations"),
        (Filters(remote="only"), {"is_remote": False}, "remote"),
        (Filters(remote="exclude"), {"is_remote": True}, "remote"),
        (Filters(salary_floor=SalaryFloor(amount=90000, currency="EUR")), {}, "salary_floor"),
        (
            Filters(salary_floor=SalaryFloor(amount=60, interval="hourly")),
            {"compensation": Compensation(interval="monthly", max_amount=6000)},
            "salary_floor",
        ),
        (Filters(company_blocklist=["nordlicht"]), {}, "company_blocklist"),
        (Filters(title_blocklist=["senior"]), {}, "title_blocklist"),
        (Filters(must_have=["Rust"]), {}, "must_have"),
        (Filters(exclude_keywords=["kafka"]), {}, "exclude_keywords"),
        (Filters(seniority=["junior", "mid"]), {}, "seniority"),
        (Filters(max_age_days=3), {"date_posted": date(2026, 11, 1)}, "max_age_days"),
    ],
)
def test_each_rule_filters_and_names_itself(filters: Filters, fields: dict, rule: str) -> None:
    hit = apply_filters(job(**fields), filters, NOW)
    assert hit is not None
    assert hit.rule == rule
    assert hit.reason


@pytest.mark.parametrize(
    ("filters", "fields"),
    [
        (Filters(locations=["Berlin"]), {}),
        (Filters(locations=["Munich"]), {"is_remote": True}),  # remote jobs have no place
        (Filters(locations=["Munich"]), {"location": Location()}),  # unknown place
        (Filters(salary_floor=SalaryFloor(amount=80000)), {}),  # max pay is above
        (Filters(salary_floor=SalaryFloor(amount=200000)), {"compensation": None}),  # not stated
        (Filters(salary_floor=SalaryFloor(amount=90000, currency="USD")), {}),  # not comparable
        (Filters(must_have=["python", "postgres"]), {}),
        (Filters(exclude_keywords=["java"]), {}),  # "Java" is not in the posting
        (Filters(seniority=["senior"]), {}),
        (Filters(max_age_days=30), {}),
        (Filters(max_age_days=1), {"date_posted": None}),
        (Filters(remote="only"), {"is_remote": None, "description": "Fully remote team."}),
    ],
)
def test_passes_when_the_rule_does_not_apply(filters: Filters, fields: dict) -> None:
    assert apply_filters(job(**fields), filters, NOW) is None


def test_whole_words_only() -> None:
    assert apply_filters(job(), Filters(exclude_keywords=["go"]), NOW) is None
    assert apply_filters(job(), Filters(title_blocklist=["end"]), NOW) is None


@pytest.mark.parametrize(
    ("title", "actor", "level"),
    [
        ("Junior Data Engineer", None, "junior"),
        ("Sr. Python Developer", None, "senior"),
        ("Staff Engineer", None, "lead"),
        ("Data Engineer", "Entry level", "junior"),
        ("Data Engineer", None, None),
    ],
)
def test_seniority_of(title: str, actor: str | None, level: str | None) -> None:
    assert seniority_of(job(title=title, seniority=actor)) == level


@pytest.mark.parametrize(
    ("wanted", "where", "passes"),
    [
        ("Germany", Location(city="Berlin", country="DE"), True),  # a country by any name
        ("Deutschland", Location(city="Munich", state="Bavaria", country="DE"), True),
        ("Bayern", Location(city="Munich", state="Bavaria", country="DE"), True),  # a region
        ("USA", Location(city="Austin", state="TX", country="US"), True),
        ("Texas", Location(city="Austin", state="TX", country="US"), True),
        ("California", Location(city="Austin", state="TX", country="US"), False),
        ("Canada", Location(city="San Francisco", state="CA", country="US"), False),
        ("Germany", Location(city="Vienna", country="AT"), False),
        ("Berlin", Location(city="Berlin", country="DE"), True),  # a city, as written
    ],
)
def test_locations_match_countries_and_regions_by_any_name(
    wanted: str, where: Location, passes: bool
) -> None:
    result = apply_filters(job(location=where), Filters(locations=[wanted]), NOW)
    assert (result is None) is passes, result
