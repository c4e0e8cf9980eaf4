"""The letters a person would send: for postings in English, French, German and Spanish (and a
Dutch one, which falls back to English and says so), each letter names the posting's
requirements the candidate meets, never a skill category, never a skill twice, at most one
sentence of the profile summary, and is written in the posting's language."""

from __future__ import annotations

import re

import pytest

from common.documents.content import build_content
from common.documents.guard import sentences
from common.i18n.detect import detect
from tests.helpers.letters import CATEGORIES, HELD, TODAY, multilingual_profile, posting

GREETING = {
    "en": "Dear Harbourline Analytics hiring team,",
    "fr": "Madame, Monsieur,",
    "de": "Sehr geehrte Damen und Herren,",
    "es": "Estimado equipo de Mareas Digitales:",
    "nl": "Dear Polder Data hiring team,",
}
DATE = {
    "en": "26 November 2026",
    "fr": "26 novembre 2026",
    "de": "26. November 2026",
    "es": "26 de noviembre de 2026",
    "nl": "26 November 2026",
}
LANGUAGES = ["en", "fr", "de", "es", "nl"]


def letter_for(code: str):
    return build_content(multilingual_profile(), posting(code), None, today=TODAY)


@pytest.mark.parametrize("code", LANGUAGES)
def test_letter_names_at_least_two_requirements_the_candidate_meets(code: str) -> None:
    body = " ".join(letter_for(code).letter.paragraphs)
    named = {skill for skill in HELD[code] if re.search(rf"\b{re.escape(skill)}\b", body)}
    assert len(named) >= 2, body
    assert "Rust" not in body and "Scala" not in body and "Spark" not in body  # not held


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_category_name_and_no_skill_twice_in_two_spellings(code: str) -> None:
    result = letter_for(code)
    body = " ".join(result.letter.paragraphs)
    for category in CATEGORIES:
        assert category not in body
    for skill in ("Python", "SQL", "Kafka", "BigQuery", "Airflow", "dbt"):
        spellings = set(re.findall(rf"\b{re.escape(skill)}\b", body, re.I))
        assert len(spellings) <= 1, (skill, spellings)


@pytest.mark.parametrize("code", LANGUAGES)
def test_at_most_one_sentence_of_the_profile_summary(code: str) -> None:
    profile = multilingual_profile()
    text = build_content(profile, posting(code), None, today=TODAY).letter.text()
    pasted = [s for s in sentences(profile.basics.summary or "") if s.rstrip(".") in text]
    assert len(pasted) <= 1
    assert "Looking for" not in text and "expected June 2025" not in text


@pytest.mark.parametrize("code", ["en", "fr", "de", "es"])
def test_letter_is_in_the_postings_language(code: str) -> None:
    result = letter_for(code)
    letter = result.letter
    assert result.language == code and letter.lang == code and result.notes == []
    assert letter.greeting == GREETING[code] and letter.date == DATE[code]
    detected = detect(" ".join(letter.paragraphs))
    assert detected is not None and detected.code == code
    assert "(H/F)" not in letter.text() and "(m/w/d)" not in letter.text()
    assert "(h/m/x)" not in letter.subject and "(m/f/d)" not in letter.subject
    assert result.events == []  # the template letter passes the guard in every language


def test_unsupported_language_falls_back_to_english_and_says_so() -> None:
    result = letter_for("nl")
    assert result.language == "en" and result.letter.greeting == GREETING["nl"]
    assert result.notes == [
        "the posting is in Dutch, which has no letter template: the letter is in English"
    ]


def test_a_language_the_candidate_does_not_list_is_not_claimed() -> None:
    from tests.helpers import documents as sample

    result = build_content(sample.profile(), posting("fr"), None, today=TODAY)
    assert result.language == "en"  # Zoë lists Polish and English only
    assert "does not list among your languages" in result.notes[0]


def test_resume_summary_is_rewritten_for_the_posting() -> None:
    summary = letter_for("en").resume.summary
    assert summary.startswith("Data Engineer with 7 years of experience in Kafka, BigQuery")
    assert "Looking for" not in summary and "2025" not in summary  # objective, stale date
    assert "For the" not in summary  # no keyword tail
