"""The recipient is chosen by code from the words around each address and its domain."""

from __future__ import annotations

import pytest

from common.analysis.recipients import (
    Kind,
    Trust,
    choose_recipient,
    classify,
    employer_domains,
    registrable,
    unglue,
)
from tests.helpers.postings import job

SITE = "https://www.nordlicht.example"


def kinds(description: str, **fields: object) -> dict[str, Kind]:
    return {f.address: f.kind for f in classify(job(description=description, **fields))}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Send your CV to jobs@nordlicht.example.", Kind.APPLICATION),
        ("Bitte senden Sie Ihre Bewerbung an jobs@nordlicht.example.", Kind.APPLICATION),
        ("Envoyez votre candidature à jobs@nordlicht.example.", Kind.APPLICATION),
        ("Envía tu CV a jobs@nordlicht.example.", Kind.APPLICATION),
        (
            "If you need a reasonable accommodation to apply, email jobs@nordlicht.example.",
            Kind.ACCOMMODATION,
        ),
        ("Bei Fragen zur Barrierefreiheit: jobs@nordlicht.example", Kind.ACCOMMODATION),
        ("Personnes en situation de handicap : jobs@nordlicht.example", Kind.ACCOMMODATION),
        ("Please apply online. Questions: jobs@nordlicht.example", Kind.QUESTIONS),
        ("Für Rückfragen steht Ihnen jobs@nordlicht.example zur Verfügung.", Kind.QUESTIONS),
        ("To exercise your GDPR rights write to jobs@nordlicht.example.", Kind.PRIVACY),
        ("Datenschutzhinweise: jobs@nordlicht.example", Kind.PRIVACY),
        ("Do not reply to jobs@nordlicht.example: it is not monitored.", Kind.NO_REPLY),
        ("Send your CV to hr@nordlicht.example and bcc jobs@nordlicht.example.", Kind.COPY),
        ("Envoyez votre CV à rh@nordlicht.example en copie à jobs@nordlicht.example", Kind.COPY),
        ("Our office is in Berlin. jobs@nordlicht.example", Kind.APPLICATION),  # the mailbox name
    ],
)
def test_the_words_around_an_address_say_what_it_is_for(text: str, kind: Kind) -> None:
    assert kinds(text)["jobs@nordlicht.example"] is kind


def test_the_mailbox_name_speaks_when_the_words_do_not() -> None:
    assert kinds("Our office is in Berlin. andy@nordlicht.example") == {
        "andy@nordlicht.example": Kind.UNRELATED
    }
    assert kinds("Send your CV to noreply@nordlicht.example") == {
        "noreply@nordlicht.example": Kind.NO_REPLY
    }
    assert kinds("Send your CV to privacy@nordlicht.example") == {
        "privacy@nordlicht.example": Kind.PRIVACY
    }


def test_an_application_address_on_the_employers_domain_is_chosen() -> None:
    text = (
        "Send your CV to jobs@nordlicht.example. If you need an accommodation during the "
        "process, contact accommodations@nordlicht.example."
    )
    choice = choose_recipient(job(description=text, company_url=SITE))
    assert choice.recipient == "jobs@nordlicht.example"
    assert not choice.needs_review


def test_the_domain_of_a_direct_apply_link_counts_but_a_job_board_does_not() -> None:
    text = "Apply to jobs@nordlicht.example"
    direct = job(
        description=text,
        company_url=None,
        job_url_direct="https://karriere.nordlicht.example/jobs/1",
    )
    assert employer_domains(direct) == ["nordlicht.example"]
    assert choose_recipient(direct).recipient == "jobs@nordlicht.example"
    board = job(description=text, company_url="https://de.linkedin.com/company/nordlicht")
    assert employer_domains(board) == []
    choice = choose_recipient(board)
    assert choice.recipient is None and choice.held == "jobs@nordlicht.example"
    assert "employer's own domain is unknown" in choice.note and choice.needs_review


@pytest.mark.parametrize(
    ("address", "trust"),
    [
        ("jobs@nordlicht-careers.example", Trust.LOOKALIKE),
        ("jobs@nordlichts.example", Trust.LOOKALIKE),
        ("jobs@nordlicht.example.evil.example", Trust.LOOKALIKE),
        ("jobs@xn--nrdlicht-9za.example", Trust.LOOKALIKE),
        ("nordlicht.jobs@gmail.com", Trust.FREE_MAIL),
        ("jobs@elsewhere.example", Trust.OTHER),
        ("job-991@applytojob.com", Trust.ATS),
        ("jobs@mail.nordlicht.example", Trust.EMPLOYER),
    ],
)
def test_whose_domain_an_address_is_on(address: str, trust: Trust) -> None:
    found = classify(job(description=f"Send your CV to {address}", company_url=SITE))
    assert [f.trust for f in found] == [trust]
    choice = choose_recipient(job(description=f"Send your CV to {address}", company_url=SITE))
    assert (choice.recipient is not None) is (trust in (Trust.EMPLOYER, Trust.ATS))


def test_a_copy_request_to_another_domain_sends_the_posting_to_review() -> None:
    text = "Send your CV to jobs@nordlicht.example and cc talent@evil.example."
    choice = choose_recipient(job(description=text, company_url=SITE))
    assert choice.recipient == "jobs@nordlicht.example"  # never the copied address, never both
    assert choice.needs_review
    assert any("talent@evil.example" in s for s in choice.suspicious)


def test_an_instead_redirection_is_held_with_its_reason() -> None:
    text = "Apply at jobs@nordlicht.example. Send your resume to hr@nordlicht-hr.example instead."
    choice = choose_recipient(job(description=text, company_url=SITE))
    assert choice.recipient == "jobs@nordlicht.example"
    assert any("redirects" in s and "hr@nordlicht-hr.example" in s for s in choice.suspicious)


def test_an_address_only_in_the_actors_field_is_never_a_recipient() -> None:
    found = classify(job(description="Apply through our site.", emails=["x@nordlicht.example"]))
    assert [(f.address, f.kind) for f in found] == [("x@nordlicht.example", Kind.UNRELATED)]
    choice = choose_recipient(
        job(description="Apply through our site.", emails=["x@nordlicht.example"], company_url=SITE)
    )
    assert choice.recipient is None and choice.held is None
    assert "not said to be for applications" in choice.note


def test_an_address_said_twice_counts_by_its_least_safe_use() -> None:
    text = (
        "Send your CV to jobs@nordlicht.example. For accommodation requests use "
        "jobs@nordlicht.example too."
    )
    assert kinds(text)["jobs@nordlicht.example"] is Kind.ACCOMMODATION


def test_no_address_explains_itself() -> None:
    choice = choose_recipient(job(description="Apply online via the button."))
    assert choice == choose_recipient(job(description="Apply online via the button."))
    assert choice.recipient is None and choice.held is None and not choice.needs_review
    assert "no application address" in choice.note


def test_the_employers_domains_are_looked_up_only_for_a_posting_with_an_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from common.analysis import recipients

    looked: list[str] = []
    real = recipients.employer_domains
    monkeypatch.setattr(recipients, "employer_domains", lambda j: looked.append(j.id) or real(j))
    choice = choose_recipient(job(description="Apply online via the button.", company_url=SITE))
    assert looked == []
    assert "no application address" in choice.note and not choice.needs_review
    choice = choose_recipient(job(description="Apply to jobs@nordlicht.example", company_url=SITE))
    assert len(looked) == 1
    assert choice.recipient == "jobs@nordlicht.example"


def test_glued_text_is_cut_from_an_address() -> None:
    assert unglue("hr@acme.comhttps") == "hr@acme.com"
    assert unglue("hr@acme.co.uk") == "hr@acme.co.uk"
    assert unglue("hr@nordlicht.example") == "hr@nordlicht.example"
    found = kinds("Apply: jobs@nordlicht.example.Thank you for reading.")
    assert list(found) == ["jobs@nordlicht.example"]
    # a signature run into the address by a scrape that lost the line breaks
    found = kinds("Thank you.RegardsSam Ortiz480-555-0134sam.ortiz@nordlicht.example")
    assert list(found) == ["sam.ortiz@nordlicht.example"]


def test_registrable_domain_follows_the_public_suffix_list() -> None:
    assert registrable("careers.nordlicht.co.uk") == "nordlicht.co.uk"
    assert registrable("www.nordlicht.example") == "nordlicht.example"
    assert registrable("nordlicht.github.io") == "nordlicht.github.io"


def test_an_address_a_title_case_word_may_be_run_into_is_left_to_a_person() -> None:
    text = "Email Your Resume In Word Todanielle.olson@nordlicht.example"
    choice = choose_recipient(job(description=text, company_url=SITE))
    assert choice.recipient is None and choice.needs_review
    assert choice.held == "todanielle.olson@nordlicht.example"
    assert "perhaps danielle.olson@nordlicht.example" in choice.note
    elsewhere = choose_recipient(
        job(description=text.replace("nordlicht", "staffing"), company_url=SITE)
    )
    assert "perhaps danielle.olson@staffing.example" in elsewhere.note
    assert "is not the employer's domain" in elsewhere.note  # and what else holds it back
    # a name that starts like such a word, after lower-case words or a colon, is a name
    for text in (
        "Please send your resume to Tom.smith@nordlicht.example",
        "Send your CV by Email: Tom.smith@nordlicht.example",
    ):
        choice = choose_recipient(job(description=f"Send your CV. {text}", company_url=SITE))
        assert choice.recipient == "tom.smith@nordlicht.example", text
