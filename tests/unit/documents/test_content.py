"""Content: requirements and evidence, the template letter, and the guarded writer path."""

from __future__ import annotations

from datetime import date

from common.documents.content import build_content
from common.documents.letter import as_action
from common.documents.profile_index import profile_index
from common.documents.requirements import match_requirements
from common.documents.select import Relevance, month, span, top
from common.ports import DocumentWriter, WritingBrief, Written
from tests.helpers import documents as sample

TODAY = date(2026, 11, 26)


def content(writer: DocumentWriter | None = None, **job_kwargs):
    job = sample.job(**job_kwargs)
    return build_content(sample.profile(), job, sample.analysis(), today=TODAY, writer=writer)


def section(resume, heading):
    return next(s for s in resume.sections if s.heading == heading)


def test_dates_read_as_month_and_year() -> None:
    assert month("2021-03-01") == "Mar 2021"
    assert month("2019") == "2019"
    assert span("2022-04-01", None) == "Apr 2022 – Present"
    assert span("2015-10-01", "2019-06-30", open_end=False) == "Oct 2015 – Jun 2019"
    assert span(None, "2020-05") == "May 2020"


def test_top_keeps_order_and_the_first_items() -> None:
    assert top([1, 5, 2, 9], key=float, limit=2) == [5, 9]
    assert top([1, 5, 2, 9], key=float, limit=2, keep=1) == [1, 9]


def test_requirements_are_the_postings_that_the_profile_holds_in_posting_order() -> None:
    match = match_requirements(sample.profile(), sample.job(), sample.analysis())
    assert match.names() == ["Kafka", "BigQuery", "Python"]  # Rust: asked for, not held
    evidence = match.top[0].evidence
    assert evidence is not None and evidence.text.startswith("Built Kafka consumers")
    rel = Relevance(profile_index(sample.profile()), sample.job(), match)
    assert rel.score("Built Kafka consumers") > rel.score("Organised the office book club")


def test_matched_terms_the_profile_lacks_are_ignored() -> None:
    analysis = sample.analysis().model_copy(update={"matched": ["Kubernetes", "Kafka"]})
    result = build_content(sample.profile(), sample.job(), analysis, today=TODAY)
    assert "Kubernetes" not in result.letter.text() + result.resume.summary
    assert "Kafka" in result.resume.summary
    assert result.events == []


def test_resume_puts_relevant_highlights_first_and_work_newest_first() -> None:
    resume = content().resume
    experience = section(resume, "Experience")
    assert [e.org for e in experience.entries] == [
        "Wisła Freight Sp. z o.o.",
        "Mazowsze Retail S.A.",
    ]
    first = experience.entries[0]
    assert first.dates == "Apr 2022 – Present"
    assert first.bullets[0].startswith("Built Kafka consumers")
    assert first.bullets[-1] == "Organised the office book club"
    assert section(resume, "Skills").lines[0].startswith(("Kafka", "SQL", "Python"))
    projects = section(resume, "Projects").entries
    assert projects[0].title == "Tram delays dashboard"


def test_summary_is_written_for_the_posting_without_a_keyword_tail() -> None:
    summary = content().resume.summary
    # years from the work dates (2019-09 to today), the same computation as the scorer's
    assert summary == (
        "Data Engineer with 7 years of experience in Kafka, BigQuery and Python, building "
        "batch and streaming pipelines."
    )
    assert "Rust" not in summary and "For the" not in summary


def test_letter_is_addressed_from_the_job_record_with_evidence() -> None:
    letter = content().letter
    assert letter is not None
    assert letter.company == "Odra Energy" and letter.role == "Data Engineer"
    assert letter.greeting == "Dear Odra Energy hiring team,"
    text = letter.text()
    assert "Data Engineer position at Odra Energy" in text
    assert "seven years of professional experience, currently at Wisła Freight" in text
    assert "Your posting asks for Kafka, BigQuery and Python" in text
    assert "At Wisła Freight Sp. z o.o., I built Kafka consumers that process 5 million" in text
    assert "Rust" not in text and ".." not in text
    assert "I speak English (fluent)." in text
    assert 100 <= len(text.split()) <= 350
    assert text.rstrip().endswith(sample.NAME)


def test_deterministic_content_has_no_guard_events() -> None:
    assert content().events == []


def test_resume_without_a_job_has_no_letter() -> None:
    result = build_content(sample.profile(), None, today=TODAY)
    assert result.letter is None
    assert section(result.resume, "Experience").entries
    assert result.resume.summary.startswith("Data Engineer with 7 years of experience, building")


def test_letter_helpers() -> None:
    assert as_action("Built X") == "built X"
    assert as_action("Python tooling for Y") == ""


class Scripted:
    """A writer that answers with fixed strings: adversarial 'model outputs'."""

    name = "scripted-model"

    def __init__(self, summary: str, letter: str) -> None:
        self.summary, self.letter = summary, letter
        self.briefs: list[WritingBrief] = []

    def write(self, brief: WritingBrief) -> Written:
        self.briefs.append(brief)
        return Written(self.summary, self.letter.split("\n\n"))


GOOD_LETTER = (
    "Odra Energy needs reliable streaming data, and that is what I build.\n\n"
    "At Wisła Freight Sp. z o.o. I built Kafka consumers that process 5 million events a day.\n\n"
    "I would be glad to talk about the Data Engineer role at Odra Energy."
)


def test_clean_rephrasing_is_used() -> None:
    model = Scripted("Python and SQL data engineer building streaming pipelines.", GOOD_LETTER)
    result = content(model)
    assert len(model.briefs) == 1  # one call for the letter and the summary
    facts = str(model.briefs[0].facts)
    assert "zoe@example.org" not in facts and "555" not in facts and sample.NAME not in facts
    assert result.resume.summary == "Python and SQL data engineer building streaming pipelines."
    assert result.letter.paragraphs[0].startswith("Odra Energy needs reliable")
    assert result.letter.paragraphs[-1] == content().letter.paragraphs[-1]  # the close: code's
    assert result.events == [] and result.writer == "scripted-model"


def test_invented_phd_in_the_summary_is_removed() -> None:
    model = Scripted(
        "Data engineer building streaming pipelines in Python. I hold a PhD in Computer "
        "Science. I write SQL every day.",
        GOOD_LETTER,
    )
    result = content(model)
    assert "PhD" not in result.resume.summary
    assert "streaming pipelines in Python" in result.resume.summary
    assert [(e.field, e.action, e.text) for e in result.events] == [
        ("summary", "removed", "I hold a PhD in Computer Science.")
    ]


def test_invented_skill_and_inflated_years_fall_back_to_the_profile() -> None:
    model = Scripted("Rust expert with 12 years of Kafka.", GOOD_LETTER)
    result = content(model)
    deterministic = content().resume.summary
    assert result.resume.summary == deterministic
    removed, regenerated = result.events[:2]
    assert (removed.action, regenerated.action) == ("removed", "regenerated")
    assert {("skill", "rust"), ("number", "12 years")} <= {
        (v.kind, v.value) for v in removed.violations
    }


def test_another_company_in_the_letter_never_reaches_the_output() -> None:
    letter = (
        "I am thrilled to apply to Globex Corporation, a leader in energy.\n\n"
        "At Wisła Freight Sp. z o.o. I built Kafka consumers that process 5 million events "
        "a day.\n\nI would be glad to talk about the Data Engineer role at Odra Energy."
    )
    result = content(Scripted("Data engineer.", letter))
    text = result.letter.text()
    assert "Globex" not in text
    assert result.letter.greeting == "Dear Odra Energy hiring team,"
    assert any(e.field.startswith("letter.paragraph") for e in result.events)


def test_letter_that_loses_the_target_company_is_rebuilt_from_the_template() -> None:
    letter = (
        "I would love to join Initech.\n\n"
        "I built Kafka consumers that process 5 million events a day.\n\nThanks."
    )
    result = content(Scripted("Data engineer.", letter))
    assert result.letter.paragraphs == content().letter.paragraphs
    assert result.events[-1].field == "letter" and result.events[-1].action == "regenerated"
    assert result.writer == "template" and "does not name the company" in result.notes[0]


def test_model_cannot_change_company_or_role() -> None:
    letter = "Dear Globex hiring team,\n\nI want the Principal Architect job."
    result = content(Scripted("Data engineer.", letter))
    assert result.letter.company == "Odra Energy"
    assert result.letter.role == "Data Engineer"
    assert "Globex" not in result.letter.text()
    assert "Principal" not in result.letter.text()


def test_role_drops_gender_tags_but_company_stays_verbatim() -> None:
    from common.documents.titles import role_name

    assert role_name("Data Engineer (m/w/d)") == "Data Engineer"
    assert role_name("Contrôleur Financier (H/F) - Wiltz") == "Contrôleur Financier"
    assert role_name("Data Engineer (all genders)") == "Data Engineer"
    assert role_name("Data Engineer [f/m/x]") == "Data Engineer"
    assert role_name("Engineer (Backend)") == "Engineer (Backend)"
    letter = content(title="Senior Data Engineer (m/w/d)").letter
    assert letter.role == "Senior Data Engineer"
    assert "(m/w/d)" not in letter.text()
    assert content(title="Senior Data Engineer (m/w/d)").events == []


def test_letter_for_a_posting_with_nothing_in_common_claims_nothing() -> None:
    job = sample.job().model_copy(update={"description": "We bake sourdough bread at night."})
    result = build_content(sample.profile(), job, None, today=TODAY)
    text = result.letter.text()
    assert "Your posting asks for" not in text
    assert "At Wisła Freight Sp. z o.o., I built Kafka consumers" in text
    assert result.events == []


def test_minimal_profile_still_gives_documents() -> None:
    from common.domain.candidate import Profile

    minimal = Profile.model_validate({"basics": {"name": "Ana Ruiz"}})
    result = build_content(minimal, sample.job(), None, today=TODAY)
    assert result.resume.sections == [] and result.resume.summary == ""
    assert result.letter.paragraphs[0] == (
        "I am applying for the Data Engineer position at Odra Energy."
    )
    assert result.letter.text().rstrip().endswith("Ana Ruiz")
    assert result.events == []


def test_greeting_and_signature_from_the_model_are_dropped() -> None:
    letter = f"Dear Odra Energy hiring team,\n\n{GOOD_LETTER}\n\nKind regards,\n\n{sample.NAME}"
    result = content(Scripted("Data engineer.", letter))
    assert result.letter.paragraphs[0].startswith("Odra Energy needs reliable")
    assert len(result.letter.paragraphs) == 4  # the model's three and the template's close
    assert result.letter.text().count("Dear ") == 1


def test_rambling_letter_is_replaced_by_the_template() -> None:
    long = "\n\n".join([GOOD_LETTER] + ["I build streaming pipelines in Python."] * 80)
    result = content(Scripted("Data engineer.", long))
    assert result.letter.paragraphs == content().letter.paragraphs


class Unavailable:
    name = "gemini-x"

    def write(self, brief: WritingBrief) -> Written:
        from common.errors import BudgetExhausted

        raise BudgetExhausted("daily model budget used up")


def test_unavailable_writer_leaves_the_template_text_and_says_why() -> None:
    result = content(Unavailable())
    assert result.letter.paragraphs == content().letter.paragraphs
    assert result.resume.summary == content().resume.summary
    assert result.events == [] and result.writer == "template"
    assert result.notes == [
        "written from the template: gemini-x was not used (daily model budget used up)"
    ]
