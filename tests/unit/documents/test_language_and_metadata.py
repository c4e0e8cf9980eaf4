"""Language detection, years of experience, role names, and document metadata."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from common.documents.content import build_content
from common.documents.render import render_application
from common.documents.templates import Templates
from common.documents.titles import role_name
from common.domain.candidate import Work
from common.domain.experience import whole_years, years_of_experience
from common.i18n.detect import detect
from tests.helpers import documents as sample
from tests.helpers.letters import TODAY, multilingual_profile, posting


@pytest.mark.parametrize("code", ["en", "fr", "de", "es", "nl"])
def test_each_fixture_posting_is_detected_in_its_language(code: str) -> None:
    found = detect(posting(code).description)
    assert found is not None and found.code == code


def test_a_bare_title_has_no_language() -> None:
    assert detect("Data Engineer") is None


def test_years_count_overlaps_once_and_stop_today() -> None:
    work = [
        Work(startDate="2018-07", endDate="2023-07"),
        Work(startDate="2020-01", endDate="2021-01"),  # inside the first: counted once
        Work(startDate="2026-01"),  # current: until today
    ]
    assert round(years_of_experience(work, date(2026, 7, 1)), 1) == 5.5
    assert whole_years(work, date(2026, 7, 1)) == 5
    assert whole_years([Work(startDate="2018-07", endDate="2023-07")], TODAY) == 5  # not 4.999
    assert whole_years([Work(startDate="2025-01", endDate="2030-01")], date(2026, 1, 1)) == 1


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Contrôleur Financier (H/F) - Wiltz", "Contrôleur Financier"),
        ("Data Engineer (m/w/d)", "Data Engineer"),
        ("Ingeniero/a de Datos (h/m/x)", "Ingeniero/a de Datos"),
        ("Accountant - Luxembourg Gare - Competitive Salary", "Accountant"),
        ("Engineer - apply at http://evil.example/login", "Engineer"),
        ("Backend Engineer (Python, GCP)", "Backend Engineer (Python, GCP)"),
    ],
)
def test_role_names_lose_markers_and_tails(title: str, role: str) -> None:
    assert role_name(title) == role


def test_documents_name_the_candidate_as_author_and_say_what_they_are() -> None:
    from docx import Document

    result = build_content(multilingual_profile(), posting("fr"), None, today=TODAY)
    files = {f.kind: f for f in render_application(result, Templates())}
    letter = Document(io.BytesIO(files["letter_docx"].data)).core_properties
    assert letter.author == sample.NAME and letter.last_modified_by == sample.NAME
    assert letter.title == "Lettre de motivation : Data Engineer, Rivages Données"
    resume = Document(io.BytesIO(files["resume_docx"].data)).core_properties
    assert resume.author == sample.NAME and resume.title == f"Resume: {sample.NAME}"
    for kind in ("letter_docx", "resume_docx", "letter_pdf", "resume_pdf"):
        data = files[kind].data
        if kind.endswith("docx"):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                data = b"".join(package.read(n) for n in package.namelist())
        assert b"autoapply" not in data.lower()
    pdf = files["letter_pdf"].data
    assert "Lettre de motivation".encode("utf-16-be") in pdf or b"Lettre de motivation" in pdf
