"""DOCX rendering with python-docx: one column, real text, dates on the title's line."""

from __future__ import annotations

import io

from common.documents.content import ApplicationContent


def resume_docx(content: ApplicationContent) -> bytes:
    """The resume as DOCX bytes."""
    from docx import Document

    doc = Document()
    doc.add_heading(content.name, level=0)
    if content.contact:
        doc.add_paragraph(" | ".join(content.contact))
    if content.summary:
        doc.add_paragraph(content.summary)
    for section in content.sections:
        doc.add_heading(section.heading, level=1)
        for headline, dates, bullets in section.entries:
            para = doc.add_paragraph()
            para.add_run(headline).bold = True
            if dates:
                para.add_run(f"    {dates}")
            for bullet in bullets:
                doc.add_paragraph(bullet, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def letter_docx(content: ApplicationContent) -> bytes:
    """The cover letter as DOCX bytes."""
    from docx import Document

    doc = Document()
    doc.add_paragraph(content.name)
    doc.add_paragraph(content.letter_greeting)
    for paragraph in content.letter_paragraphs:
        doc.add_paragraph(paragraph)
    doc.add_paragraph(content.letter_closing)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def letter_text(content: ApplicationContent) -> str:
    """The cover letter as plain text (the email body)."""
    return "\n\n".join(
        [content.letter_greeting, *content.letter_paragraphs, content.letter_closing]
    )
