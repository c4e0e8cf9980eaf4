"""The fabrication guard against adversarial 'model outputs' given as plain strings."""

from __future__ import annotations

import pytest

from common.documents.facts import build_facts, numbers, profile_facts
from common.documents.guard import GuardEvent, check, guard_text, sentences
from common.domain.job import Location
from tests.helpers import documents as sample


@pytest.fixture
def facts():
    return build_facts(sample.profile(), sample.job())


def kinds(text: str, facts, extra=("Rust",)) -> set[str]:
    return {v.kind for v in check(text, facts, extra)}


@pytest.mark.parametrize(
    "text",
    [
        "Data engineer with six years of Python and SQL, building batch and streaming pipelines.",
        "Built Kafka consumers that process 5 million events a day",
        "At Wisła Freight Sp. z o.o., as Data Engineer, I built Kafka consumers.",
        "I hold a Bachelor of Science in Mathematics from Uniwersytet Jagielloński.",
        "I hold the Data Engineer Associate (Databricks) certification.",
        "I am writing to apply for the Data Engineer position at Odra Energy in Wrocław.",
        "Migrated 12 Airflow DAGs to dbt and BigQuery in 2022.",
        "I'm confident I've built what Odra Energy needs, and I'd like to show it.",
        "Most recently, at Wisła Freight Sp. z o.o., I migrated 12 Airflow DAGs to dbt.",
    ],
)
def test_what_the_profile_holds_passes(text: str, facts) -> None:
    assert check(text, facts, ("Rust",)) == []


def test_invented_phd_is_caught(facts) -> None:
    found = check("I completed a PhD in Machine Learning at Stanford University.", facts)
    assert {"degree", "organization"} <= {v.kind for v in found}
    assert "doctorate" in {v.value for v in found}


@pytest.mark.parametrize("text", ["I hold a Ph.D. in physics.", "My doctorate taught me rigor."])
def test_doctorate_spellings(text: str, facts) -> None:
    assert "degree" in kinds(text, facts)


def test_master_degree_not_held_is_caught(facts) -> None:
    assert "degree" in kinds("I hold an MSc in Mathematics.", facts)


def test_invented_skill_from_the_posting_is_caught(facts) -> None:
    found = check("I have shipped production services in Rust and Kubernetes.", facts, ("Rust",))
    assert {("skill", "rust"), ("skill", "kubernetes")} <= {(v.kind, v.value) for v in found}


def test_lowercase_invented_skill_is_caught(facts) -> None:
    assert "skill" in kinds("day to day I use terraform and rust.", facts)


@pytest.mark.parametrize(
    "text",
    [
        "I bring ten years of Python experience.",
        "I have 10+ years of experience with SQL.",
        "Built Kafka consumers that process 50 million events a day",
        "I worked there since 2016.",
    ],
)
def test_inflated_numbers_and_dates_are_caught(text: str, facts) -> None:
    assert "number" in kinds(text, facts)


def test_years_claim_needs_the_same_years_in_the_profile(facts) -> None:
    # 12 is in the profile (12 Airflow DAGs), but never as years of experience
    found = check("I have 12 years of experience with Airflow.", facts)
    assert ("number", "12 years") in {(v.kind, v.value) for v in found}
    assert check("I have six years of experience with Python.", facts) == []


def test_percentage_claim_needs_the_same_percentage(facts) -> None:
    assert "number" in kinds("I cut costs by 12%.", facts)


def test_phone_and_postcode_digits_are_not_facts(facts) -> None:
    assert "number" in kinds("I led 555 engineers.", facts)
    assert 555.0 not in facts.numbers


def test_another_company_in_the_letter_is_caught(facts) -> None:
    found = check("I am thrilled to join Globex Corporation as your next engineer.", facts)
    assert "Globex Corporation" in {v.value for v in found if v.kind == "organization"}


def test_unknown_proper_name_is_caught(facts) -> None:
    assert "name" in kinds("I am excited about the mission of Initech.", facts)


def test_inflated_title_is_caught(facts) -> None:
    assert "seniority" in kinds("As a Principal Engineer, I built Kafka consumers.", facts)


def test_target_role_may_be_senior_without_the_candidate_being_so(facts) -> None:
    senior = build_facts(sample.profile(), sample.job(title="Senior Data Engineer"))
    assert check("I am applying for the Senior Data Engineer position.", senior) == []
    assert "seniority" in kinds("I was a senior engineer at Wisła Freight.", senior)


def test_certification_not_held_is_caught(facts) -> None:
    assert "certification" in kinds("I am a certified Scrum practitioner.", facts)


def test_numbers_read_words_and_separators() -> None:
    assert numbers("six years, 2,000 users, 1.5x faster, 2021-03-01") == {6, 2000, 1.5, 2021}


def test_sentences_split_keeps_abbreviations_in_place() -> None:
    assert sentences("I built it. Then I ran it! Done?") == [
        "I built it.",
        "Then I ran it!",
        "Done?",
    ]


def test_guard_text_removes_only_the_bad_sentence(facts) -> None:
    events: list[GuardEvent] = []
    text = (
        "I build streaming pipelines in Python. I hold a PhD from MIT. "
        "I built Kafka consumers for 5 million events a day."
    )
    out = guard_text("summary", text, facts, fallback="FALLBACK", events=events)
    assert out == (
        "I build streaming pipelines in Python. I built Kafka consumers for 5 million events a day."
    )
    assert [(e.field, e.action) for e in events] == [("summary", "removed")]
    assert events[0].text == "I hold a PhD from MIT."
    assert "degree" in {v.kind for v in events[0].violations}


def test_guard_text_falls_back_when_most_is_invented(facts) -> None:
    events: list[GuardEvent] = []
    text = "I have 15 years of Rust. I led Google's search team. I like Python."
    out = guard_text("summary", text, facts, fallback="FALLBACK", events=events, extra_skills=())
    assert out == "FALLBACK"
    # each removed sentence with its reasons, then the fallback for the whole text
    assert [e.action for e in events] == ["removed", "removed", "regenerated"]
    assert events[0].text == "I have 15 years of Rust."
    assert events[0].to_doc()["violations"]


def test_guard_text_keeps_clean_text_untouched(facts) -> None:
    events: list[GuardEvent] = []
    text = "Data engineer with six years of Python and SQL."
    assert guard_text("summary", text, facts, fallback="x", events=events) == text
    assert events == []


def test_answers_remembered_for_one_profile_still_follow_each_job() -> None:
    """The per-job copies of a profile's facts share the guard's remembered answers: what
    a job adds (its names, the years of the day) and the text as written still decide."""
    base = profile_facts(sample.profile())
    here = build_facts(sample.profile(), sample.job(), base=base)
    gdansk = sample.job(job_id="job-2").model_copy(
        update={"location": Location(city="Gdańsk", country="Poland")}
    )
    there = build_facts(sample.profile(), gdansk, base=base)
    text = "I would enjoy working in Gdańsk."
    assert check(text, there) == []
    assert [(v.kind, v.value) for v in check(text, here)] == [("name", "Gdańsk")]

    claim = "I have 7 years of Python."
    assert check(claim, build_facts(sample.profile(), sample.job(), years=7, base=base)) == []
    assert "number" in {v.kind for v in check(claim, here)}

    # the same text once the job's title is blanked, but only one names the certificate
    held = "I hold the Data Engineer Associate (Databricks) certification."
    analytics = build_facts(
        sample.profile(), sample.job(title="Data Analytics Engineer"), base=base
    )
    assert check(held, here) == []
    assert "certification" in {
        v.kind
        for v in check(
            "I hold the Data Analytics Engineer Associate (Databricks) certification.", analytics
        )
    }
