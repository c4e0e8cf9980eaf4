"""DOCX rendering with python-docx: one column, real text, dates on the title's line.

The look comes from a reference document when the user stored one (``templates/
reference.docx``: its styles, margins and fonts are used, its body is discarded); otherwise
python-docx's default document with the font and margins set here.
"""

from __future__ import annotations

import io
from typing import Any

from common.documents.model import Letter, Resume

FONT = "Calibri"  # common to Word, LibreOffice (metric-compatible Carlito) and Google Docs


def _document(reference: bytes | None) -> Any:
    from docx import Document
    from docx.shared import Cm, Pt

    if reference:
        doc = Document(io.BytesIO(reference))
        body = doc.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
        return doc
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(1.8)
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


def resume_docx(resume: Resume, reference: bytes | None = None) -> bytes:
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
        doc.add_heading("Summary", level=1)
        doc.add_paragraph(resume.summary)
    for section in resume.sections:
        doc.add_heading(section.heading, level=1)
        for entry in section.entries:
            _title_line(doc, entry.headline, entry.dates)
            for bullet in entry.bullets:
                doc.add_paragraph(bullet, style="List Bullet")
        for line in section.lines:
            doc.add_paragraph(line)
    return _save(doc)


def letter_docx(letter: Letter, reference: bytes | None = None) -> bytes:
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
