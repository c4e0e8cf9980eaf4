"""DOCX rendering with python-docx: one column, real text, dates on the title's line.

The look (styles, font, margins) comes from a reference document: ``templates/reference.docx``
in the object store, seeded from the package (built by scripts/make_reference_docx.py) and
replaceable by the user. Its body is discarded; its styles and page setup are kept.
"""

from __future__ import annotations

import io
from typing import Any

from common.documents.model import Letter, Resume
from common.documents.templates import PREFIX, REFERENCE_DOCX
from common.errors import ValidationError


def _document(reference: bytes) -> Any:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(io.BytesIO(reference))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValidationError(
            f"document template {PREFIX}{REFERENCE_DOCX} is not a Word document ({exc})",
            field=PREFIX + REFERENCE_DOCX,
        ) from exc
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return doc


def _save(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _title_line(doc: Any, left: str, right: str) -> None:
    """``left`` in bold and ``right`` at a right tab stop, in one paragraph (ATS-friendly)."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    para = doc.add_paragraph()
    width = doc.sections[0].page_width - doc.sections[0].left_margin
    width -= doc.sections[0].right_margin
    para.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    para.paragraph_format.space_after = 0
    para.add_run(left).bold = True
    if right:
        para.add_run(f"\t{right}")


def resume_docx(resume: Resume, reference: bytes) -> bytes:
    """The resume as DOCX bytes."""
    from docx.shared import Pt

    doc = _document(reference)
    name = doc.add_paragraph()
    run = name.add_run(resume.name)
    run.bold, run.font.size = True, Pt(20)
    if resume.headline:
        doc.add_paragraph(resume.headline)
    if resume.contact:
        doc.add_paragraph("  |  ".join(resume.contact))
    if resume.summary:
        doc.add_paragraph("Summary", style=doc.styles["Heading 1"])
        doc.add_paragraph(resume.summary)
    bullet_style = doc.styles["List Bullet"]  # looked up once: by-name lookups are slow
    heading_style = doc.styles["Heading 1"]
    for section in resume.sections:
        doc.add_paragraph(section.heading, style=heading_style)
        for entry in section.entries:
            _title_line(doc, entry.headline, entry.dates)
            for bullet in entry.bullets:
                doc.add_paragraph(bullet, style=bullet_style)
        for line in section.lines:
            doc.add_paragraph(line)
    return _save(doc)


def letter_docx(letter: Letter, reference: bytes) -> bytes:
    """The cover letter as DOCX bytes."""
    from docx.shared import Pt

    doc = _document(reference)
    run = doc.add_paragraph().add_run(letter.name)
    run.bold, run.font.size = True, Pt(16)
    doc.add_paragraph("  |  ".join(letter.contact))
    doc.add_paragraph(letter.date)
    doc.add_paragraph(f"{letter.company}\nRe: {letter.subject}")
    doc.add_paragraph(letter.greeting)
    for paragraph in letter.paragraphs:
        doc.add_paragraph(paragraph)
    doc.add_paragraph(f"{letter.closing}\n{letter.name}")
    return _save(doc)
