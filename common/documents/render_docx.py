"""DOCX rendering: one column, real text, dates on the title's line, the candidate as author.

The look (styles, font, margins, bullets) comes from a reference document:
``templates/reference.docx`` in the object store, seeded from the package (built by
scripts/make_reference_docx.py with python-docx) and replaceable by the user. Its parts are
copied as they are; only the body (``word/document.xml``, WordprocessingML written here with
every string escaped as XML text) and the core properties (title, author = the candidate) are
new. The unchanged parts are compressed once per reference (``Reference.static``); each
document appends only its body and core properties to a copy of that package. Writing the
package directly takes well under a tenth of python-docx's open-and-save cost.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass

from common.documents.model import Letter, Resume
from common.documents.templates import PREFIX, REFERENCE_DOCX
from common.errors import ValidationError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
#: characters XML 1.0 cannot carry (a profile may hold them); dropped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Reference:
    """A parsed reference document: its unchanged parts, style ids and the text width."""

    sect_pr: str  # the body's section properties (page size, margins), verbatim
    heading: str  # style id of "Heading 1"
    bullet: str  # style id of "List Bullet"
    text_width: int  # twips between the margins (for the right tab stop)
    static: bytes  # a ZIP of every part but the body and core properties, compressed once


def _style_id(styles: str, name: str, default: str) -> str:
    pattern = r'<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>\s*<w:name w:val="([^"]+)"'
    for m in re.finditer(pattern, styles):
        if m.group(2).lower() == name.lower():
            return m.group(1)
    return default


@functools.lru_cache(maxsize=8)
def reference(data: bytes) -> Reference:
    """The parsed reference document (cached per content)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = {info.filename: package.read(info) for info in package.infolist()}
        body = parts[DOCUMENT].decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(
            f"document template {PREFIX}{REFERENCE_DOCX} is not a Word document ({exc})",
            field=PREFIX + REFERENCE_DOCX,
        ) from exc
    sect = re.search(r"<w:sectPr\b.*?</w:sectPr>", body, re.S)
    sect_pr = sect.group(0) if sect else ""
    width = int(_attr(sect_pr, "w:pgSz", "w:w") or 11906)
    margins = int(_attr(sect_pr, "w:pgMar", "w:left") or 1134)
    margins += int(_attr(sect_pr, "w:pgMar", "w:right") or 1134)
    styles = parts.get("word/styles.xml", b"").decode("utf-8", "replace")
    parts = _declare_core(parts)
    return Reference(
        static=_zip(parts, skip={DOCUMENT, CORE}),
        sect_pr=sect_pr,
        heading=_style_id(styles, "heading 1", "Heading1"),
        bullet=_style_id(styles, "List Bullet", "ListBullet"),
        text_width=width - margins,
    )


def _attr(xml: str, tag: str, attr: str) -> str | None:
    m = re.search(rf"<{tag}\b[^>]*\s{attr}=\"(\d+)\"", xml)
    return m.group(1) if m else None


def _text(value: str) -> str:
    # xml.sax.saxutils.escape, written out: importing it imports urllib.request and ssl
    # (about 20 ms at every process start, a worker's or a cloud instance's)
    value = _INVALID_XML.sub("", value)
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _run(text: str, *, bold: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size * 2}"/>' if size else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    lines = text.split("\n")
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{_text(line)}</w:t>' for line in lines)
    return f"<w:r>{rpr}{inner}</w:r>"


def _para(runs: str, *, style: str | None = None, extra: str = "") -> str:
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + extra
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


class _Body:
    def __init__(self, ref: Reference) -> None:
        self.ref = ref
        self.out: list[str] = []

    def add(self, text: str, *, style: str | None = None, bold: bool = False, size: int = 0):
        self.out.append(_para(_run(text, bold=bold, size=size or None), style=style))

    def title_line(self, left: str, right: str) -> None:
        """``left`` in bold and ``right`` at a right tab stop, in one paragraph (ATS-friendly)."""
        tabs = f'<w:tabs><w:tab w:val="right" w:pos="{self.ref.text_width}"/></w:tabs>'
        runs = _run(left, bold=True)
        if right:
            runs += f"<w:r><w:tab/></w:r>{_run(right)}"
        self.out.append(_para(runs, extra=tabs + '<w:spacing w:after="0"/>'))

    def xml(self) -> bytes:
        body = "".join(self.out) + self.ref.sect_pr
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<w:body>{body}</w:body></w:document>"
        ).encode()


def _core(title: str, author: str, lang: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>{_text(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{_text(author)}</cp:lastModifiedBy>"
        f"<dc:language>{_text(lang)}</dc:language><cp:revision>1</cp:revision>"
        "</cp:coreProperties>"
    ).encode()


def _declare_core(parts: dict[str, bytes]) -> dict[str, bytes]:
    """``parts`` with the core properties declared (a reference may lack them)."""
    if CORE in parts:
        return parts
    parts = dict(parts)
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{CORE}" ContentType="{CORE_TYPE}"/></Types>'
    ).encode("utf-8")
    rels = parts["_rels/.rels"].decode("utf-8")
    parts["_rels/.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdCore" Type="{CORE_REL}" Target="{CORE}"/></Relationships>',
    ).encode("utf-8")
    return parts


def _zip(parts: dict[str, bytes], *, skip: set[str]) -> bytes:
    """The parts but ``skip`` as a ZIP, ``[Content_Types].xml`` first."""
    out = io.BytesIO()
    names = sorted(set(parts) - skip - {"[Content_Types].xml"})
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name in ["[Content_Types].xml", *names]:
            package.writestr(name, parts[name])
    return out.getvalue()


def _package(ref: Reference, body: _Body, *, title: str, author: str, lang: str) -> bytes:
    out = io.BytesIO(ref.static)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr(DOCUMENT, body.xml())
        package.writestr(CORE, _core(title, author, lang))
    return out.getvalue()


def resume_docx(resume: Resume, reference_docx: bytes) -> bytes:
    """The resume as DOCX bytes."""
    ref = reference(reference_docx)
    doc = _Body(ref)
    doc.add(resume.name, bold=True, size=20)
    if resume.headline:
        doc.add(resume.headline)
    if resume.contact:
        doc.add("  |  ".join(resume.contact))
    if resume.summary:
        doc.add(resume.summary_heading, style=ref.heading)
        doc.add(resume.summary)
    for section in resume.sections:
        doc.add(section.heading, style=ref.heading)
        for entry in section.entries:
            doc.title_line(entry.headline, entry.dates)
            for bullet in entry.bullets:
                doc.add(bullet, style=ref.bullet)
        for line in section.lines:
            doc.add(line)
    title = resume.title or resume.name
    return _package(ref, doc, title=title, author=resume.name, lang=resume.lang)


def letter_docx(letter: Letter, reference_docx: bytes) -> bytes:
    """The cover letter as DOCX bytes."""
    ref = reference(reference_docx)
    doc = _Body(ref)
    doc.add(letter.name, bold=True, size=16)
    doc.add("  |  ".join(letter.contact))
    doc.add(letter.date)
    doc.add(f"{letter.company}\n{letter.subject_label} {letter.subject}")
    doc.add(letter.greeting)
    for paragraph in letter.paragraphs:
        doc.add(paragraph)
    doc.add(f"{letter.closing}\n{letter.name}")
    title = letter.title or letter.subject
    return _package(ref, doc, title=title, author=letter.name, lang=letter.lang)
