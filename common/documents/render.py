"""One content model to files: resume and letter as PDF and DOCX, the letter as text."""

from __future__ import annotations

from dataclasses import dataclass

from common.documents.model import ApplicationContent, as_data, printable
from common.documents.render_docx import letter_docx, resume_docx
from common.documents.render_pdf import render_pdf
from common.documents.templates import LETTER_TYP, PREFIX, REFERENCE_DOCX, RESUME_TYP, Templates

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain; charset=utf-8"

#: kind (the key in Application.documents) -> file name and media type; names are stable
FILES: dict[str, tuple[str, str]] = {
    "resume_pdf": ("resume.pdf", PDF),
    "resume_docx": ("resume.docx", DOCX),
    "letter_pdf": ("cover-letter.pdf", PDF),
    "letter_docx": ("cover-letter.docx", DOCX),
    "letter_txt": ("cover-letter.txt", TEXT),
}


@dataclass(frozen=True)
class RenderedFile:
    """One output file."""

    kind: str
    filename: str
    content_type: str
    data: bytes


def render_application(content: ApplicationContent, templates: Templates) -> list[RenderedFile]:
    """Every file of ``content``: the resume always, the letter when there is one. Control
    characters in any of its text are dropped first (:func:`printable`; the resume and the
    letter only: the guard's events and the notes are not rendered)."""
    resume, letter = printable(content.resume), printable(content.letter)
    reference = templates.get(REFERENCE_DOCX)
    out = {
        "resume_pdf": render_pdf(
            templates.get(RESUME_TYP), as_data(resume), name=PREFIX + RESUME_TYP
        ),
        "resume_docx": resume_docx(resume, reference),
    }
    if letter is not None:
        out["letter_pdf"] = render_pdf(
            templates.get(LETTER_TYP), as_data(letter), name=PREFIX + LETTER_TYP
        )
        out["letter_docx"] = letter_docx(letter, reference)
        out["letter_txt"] = letter.text().encode("utf-8")
    return [RenderedFile(kind, *FILES[kind], data) for kind, data in out.items()]
