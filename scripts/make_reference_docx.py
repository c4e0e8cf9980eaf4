"""Write common/resources/templates/reference.docx: the default DOCX look (styles, margins).

python-docx's own default document carries 164 styles and two 400 KB style parts, which make
every generated DOCX slow to build; this keeps the few styles the renderer uses, sets an
ATS-friendly font and margins, and drops the parts Word does not need. Run it again after
changing the look: ``.venv/bin/python scripts/make_reference_docx.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "common/resources/templates/reference.docx"
KEEP = {"Normal", "Heading 1", "Heading 1 Char", "Default Paragraph Font", "Normal Table",
        "No List", "List Paragraph", "List Bullet"}  # fmt: skip
DROP_PARTS = ("stylesWithEffects", "customXml", "thumbnail", "webSettings")


def main() -> None:
    doc = Document()
    for style in list(doc.styles):
        if style.name not in KEEP:
            style.delete()
    latent = doc.styles.element.find(qn("w:latentStyles"))
    if latent is not None:
        doc.styles.element.remove(latent)
    for rels in (doc.part.rels, doc.part.package.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in DROP_PARTS:
                del rels[r_id]
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10.5)
    normal.paragraph_format.space_after = Pt(3)
    heading = doc.styles["Heading 1"]
    heading.font.name, heading.font.size = "Calibri", Pt(12)
    heading.font.bold, heading.font.color.rgb = True, RGBColor(0, 0, 0)
    fonts = heading.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would override the name set above
    heading.paragraph_format.space_before = Pt(10)
    heading.paragraph_format.space_after = Pt(3)
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(1.8)
    props = doc.core_properties
    props.author, props.title, props.comments = "autoapply", "", ""
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.last_modified_by = "autoapply"
    doc.save(OUT)
    print(f"{OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
