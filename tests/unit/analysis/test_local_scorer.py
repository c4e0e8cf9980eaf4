"""The local scorer reads postings the way a person would: role, required skills, level."""

from __future__ import annotations

from common.analysis.local_scorer import LocalScorer, posting_of, skills_in
from common.domain.analysis import Decision
from common.domain.preferences import Preferences
from tests.helpers.postings import SALES, job, profile


def score(**fields: object) -> int:
    return LocalScorer().analyze(job(**fields), profile(), Preferences()).score


def test_on_target_posting_scores_high_with_reasons() -> None:
    analysis = LocalScorer().analyze(job(), profile(), Preferences())
    assert analysis.score >= 70
    assert analysis.decision is Decision.APPLY
    assert {"python", "postgresql", "kubernetes", "google cloud"} <= set(analysis.matched)
    assert not analysis.llm_used
    assert any("required" in r for r in analysis.reasons)


def test_aliases_count_as_the_skill() -> None:
    assert skills_in("Postgres, GCP and k8s") == {"postgresql", "google cloud", "kubernetes"}
    assert "go" not in skills_in("we go live weekly")
    assert "go" in skills_in("services in Go and Python")


def test_nice_to_have_does_not_count_against() -> None:
    parsed = posting_of(job())
    assert "kafka" in parsed.nice
    assert "kafka" not in parsed.required
    assert parsed.years == 5
    prose = job(description="You have 3+ years with Python and SQL. Kafka is a plus.")
    assert posting_of(prose).required == {"python", "sql"}
    assert posting_of(prose).nice == {"kafka"}


def test_missing_required_skills_lower_the_score() -> None:
    jvm = "Requirements:\n- Java\n- Spring Boot\n- Kotlin\n- MySQL\n- Python"
    assert score(description=jvm) < score() - 20


def test_keyword_stuffed_sales_role_is_capped() -> None:
    assert score(title="Account Executive, Cloud Data Platform", description=SALES) <= 30


def test_level_two_steps_away_costs_half() -> None:
    assert score(title="Junior Backend Engineer", seniority="Entry level") < 50
    assert score(title="Head of Engineering", seniority="Director") < 45


def test_years_demanded_beyond_experience_cost() -> None:
    many = job().description.replace("5+ years", "15+ years")
    assert score(description=many) < score() - 20
