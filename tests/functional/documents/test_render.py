"""Rendering: real typst PDFs read back with pdftotext, real DOCX read back with python-docx."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from common.adapters.objects_local import LocalObjectStore
from common.documents.content import build_content
from common.documents.render import FILES, render_application
from common.documents.templates import Templates
from common.errors import ValidationError
from common.safetext import is_clean
from tests.helpers import documents as sample
from tests.helpers.hostile import POISON


@pytest.fixture(scope="module")
def content():
    return build_content(
        sample.profile(), sample.job(), sample.analysis(), today=date(2026, 11, 26)
    )


@pytest.fixture(scope="module")
def files(content):
    return {f.kind: f for f in render_application(content, Templates())}


def lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


def test_every_kind_is_rendered_with_its_media_type(files) -> None:
    assert set(files) == set(FILES)
    assert files["resume_pdf"].data.startswith(b"%PDF")
    assert files["letter_pdf"].content_type == "application/pdf"
    assert files["resume_docx"].data.startswith(b"PK")
    assert files["letter_txt"].data.decode().startswith("Dear Odra Energy hiring team,")


def test_resume_pdf_reads_in_order_with_dates_on_the_title_line(files, tmp_path: Path) -> None:
    text = sample.pdf_text(files["resume_pdf"].data, tmp_path)
    rows = lines(text)
    assert rows[0] == sample.NAME  # accents survive: Zoë Łukasiewicz-Nguyễn
    headings = [r for r in rows if r.isupper() and len(r) > 3]
    assert headings == ["SUMMARY", "EXPERIENCE", "PROJECTS", "EDUCATION", "CERTIFICATIONS",
                        "SKILLS", "LANGUAGES"]  # fmt: skip
    title_lines = [r for r in rows if "Wisła Freight" in r and "Data Engineer" in r]
    assert title_lines and title_lines[0].endswith("Apr 2022 – Present")
    degree = next(r for r in rows if "Bachelor of Science" in r)
    assert degree.endswith("Oct 2015 – Jun 2019")
    order = [
        text.index("Built Kafka consumers"),
        text.index("Organised the office book club"),
        text.index("Mazowsze Retail S.A."),
        text.index("Uniwersytet Jagielloński"),
    ]
    assert order == sorted(order)


def test_letter_pdf_reads_in_order(files, content, tmp_path: Path) -> None:
    text = sample.pdf_text(files["letter_pdf"].data, tmp_path)
    flat = re.sub(r"\s+", " ", text)
    assert lines(text)[0] == sample.NAME
    parts = [content.letter.greeting, *(p[:60] for p in content.letter.paragraphs), "Kind regards,"]
    positions = [flat.index(p) for p in parts]
    assert positions == sorted(positions)
    assert "26 November 2026" in flat and "Re: Application for the Data Engineer position" in flat


def test_docx_holds_the_same_content(files, content) -> None:
    from docx import Document

    doc = Document(io.BytesIO(files["resume_docx"].data))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == sample.NAME
    assert "Data Engineer, Wisła Freight Sp. z o.o. · Kraków\tApr 2022 – Present" in paras
    assert "Built Kafka consumers that process 5 million events a day" in paras
    assert len(doc.sections) == 1 and len(doc.tables) == 0  # one column, no layout tables
    letter = Document(io.BytesIO(files["letter_docx"].data))
    body = "\n".join(p.text for p in letter.paragraphs)
    for paragraph in content.letter.paragraphs:
        assert paragraph in body


def test_profile_text_cannot_act_as_typst_markup(tmp_path: Path) -> None:
    doc = sample.profile_doc()
    doc["basics"]["summary"] = '#panic("x") $x^2$ *bold* <label> @ref [link] // not a comment'
    from common.domain.candidate import Profile

    result = build_content(Profile.model_validate(doc), None, today=date(2026, 1, 1))
    pdf = render_application(result, Templates())[0].data
    flat = re.sub(r"\s+", " ", sample.pdf_text(pdf, tmp_path))
    assert '#panic("x") $x^2$ *bold* <label> @ref [link] // not a comment' in flat


def test_user_template_from_the_object_store_is_used(content, tmp_path: Path) -> None:
    objects = LocalObjectStore(tmp_path / "objects")
    templates = Templates(objects)
    assert templates.seed() == [
        "templates/resume.typ",
        "templates/letter.typ",
        "templates/reference.docx",
    ]
    assert templates.seed() == []
    custom = b"#let data = json(bytes(sys.inputs.data))\nCUSTOM RESUME FOR #data.name\n"
    objects.put("templates/resume.typ", custom)
    pdf = render_application(content, templates)[0].data
    assert "CUSTOM RESUME FOR " + sample.NAME in sample.pdf_text(pdf, tmp_path)


class _CountingStore(LocalObjectStore):
    """A local store that counts downloads."""

    gets = 0

    def get(self, key: str) -> bytes:
        self.gets += 1
        return super().get(key)


def test_templates_are_downloaded_once_and_again_when_edited(content, tmp_path: Path) -> None:
    objects = _CountingStore(tmp_path / "objects")
    first = render_application(content, Templates(objects))
    downloads = objects.gets
    assert downloads == 3  # resume.typ, letter.typ, reference.docx
    assert render_application(content, Templates(objects)) == first
    assert objects.gets == downloads  # unchanged templates: only their version was asked
    custom = b"#let data = json(bytes(sys.inputs.data))\nEDITED RESUME FOR #data.name\n"
    objects.put("templates/resume.typ", custom)
    pdf = render_application(content, Templates(objects))[0].data
    assert "EDITED RESUME FOR " + sample.NAME in sample.pdf_text(pdf, tmp_path)
    assert objects.gets == downloads + 1


def test_broken_template_names_itself(content, tmp_path: Path) -> None:
    objects = LocalObjectStore(tmp_path / "objects")
    objects.put("templates/letter.typ", b"#let x = (")
    with pytest.raises(ValidationError, match=r"templates/letter\.typ does not compile"):
        render_application(content, Templates(objects))


def test_template_cannot_read_files_of_the_installation(content, tmp_path: Path) -> None:
    objects = LocalObjectStore(tmp_path / "objects")
    objects.put("templates/resume.typ", b'#read("pyproject.toml")')  # a file in the cwd
    with pytest.raises(ValidationError, match=r"templates/resume\.typ does not compile"):
        render_application(content, Templates(objects))


def test_broken_reference_docx_names_itself(content, tmp_path: Path) -> None:
    objects = LocalObjectStore(tmp_path / "objects")
    objects.put("templates/reference.docx", b"not a zip")
    with pytest.raises(ValidationError, match=r"templates/reference\.docx is not a Word document"):
        render_application(content, Templates(objects))


def test_default_docx_look_is_small_and_ats_friendly(files) -> None:
    from docx import Document

    doc = Document(io.BytesIO(files["resume_docx"].data))
    assert doc.styles["Normal"].font.name == "Calibri"
    assert len(doc.styles) < 12  # the trimmed reference, not python-docx's 164 styles
    assert len(files["resume_docx"].data) < 30_000


def test_reference_docx_styles_are_used(content, tmp_path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    ref = Document()
    ref.styles["Normal"].font.name = "Georgia"
    ref.styles["Normal"].font.size = Pt(12)
    ref.add_paragraph("this body text is discarded")
    buf = io.BytesIO()
    ref.save(buf)
    objects = LocalObjectStore(tmp_path / "objects")
    objects.put("templates/reference.docx", buf.getvalue())
    out = {f.kind: f for f in render_application(content, Templates(objects))}
    doc = Document(io.BytesIO(out["resume_docx"].data))
    assert doc.styles["Normal"].font.name == "Georgia"
    assert all("discarded" not in p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == sample.NAME


def test_minimal_profile_renders(tmp_path: Path) -> None:
    from common.domain.candidate import Profile

    minimal = Profile.model_validate({"basics": {"name": "Ана Петрова"}})
    result = build_content(minimal, sample.job(), None, today=date(2026, 1, 1))
    out = {f.kind: f for f in render_application(result, Templates())}
    assert lines(sample.pdf_text(out["resume_pdf"].data, tmp_path))[0] == "Ана Петрова"
    assert "Dear Odra Energy hiring team," in sample.pdf_text(out["letter_pdf"].data, tmp_path)


@pytest.mark.parametrize("poison", POISON)
def test_control_characters_from_a_posting_or_profile_never_stop_rendering(
    poison: str, tmp_path: Path
) -> None:
    """A job that reached the store before normalization cleaned it, or a profile with a
    stray control character, still renders every file; the poison is gone from all of them."""
    from docx import Document

    job = sample.job(company=f"Nord{poison}licht", title=f"Data{poison} Engineer")
    doc = sample.profile_doc()
    doc["basics"]["summary"] = f"Data engineer{poison} with Kafka."
    from common.domain.candidate import Profile

    result = build_content(Profile.model_validate(doc), job, None, today=date(2026, 1, 1))
    out = {f.kind: f for f in render_application(result, Templates())}
    assert set(out) == set(FILES)
    letter = Document(io.BytesIO(out["letter_docx"].data))
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "Nord" in text and "licht" in text
    assert is_clean(text) and is_clean(out["letter_txt"].data.decode("utf-8"))
    assert is_clean(sample.pdf_text(out["letter_pdf"].data, tmp_path).replace("\x0c", ""))


def test_pdf_cache_shares_bytes_only_for_the_same_template_and_data(tmp_path: Path) -> None:
    from common.documents.render_pdf import STATS, render_pdf

    template = b"#let data = json(bytes(sys.inputs.data))\nFOR #data.name\n"
    before = dict(STATS)
    first = render_pdf(template, {"name": "Ada Lovelace"})
    again = render_pdf(template, {"name": "Ada Lovelace"})
    other = render_pdf(template, {"name": "Grace Hopper"})
    changed = render_pdf(template + b"CHANGED\n", {"name": "Ada Lovelace"})
    assert again == first
    assert STATS["hits"] - before["hits"] == 1
    assert STATS["compiles"] - before["compiles"] == 3
    assert "FOR Grace Hopper" in sample.pdf_text(other, tmp_path)
    assert "CHANGED" in sample.pdf_text(changed, tmp_path)
    assert "CHANGED" not in sample.pdf_text(first, tmp_path)


def test_the_compilers_empty_root_is_removed_when_the_process_exits(tmp_path: Path) -> None:
    script = (
        "from common.documents import render_pdf\n"
        "render_pdf.render_pdf(b'#sys.inputs.data', {'a': 1})\n"
        "print(render_pdf._root().name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    root = Path(done.stdout.strip())
    assert root.parent == tmp_path  # the compiler's root was there while it ran
    assert not root.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_data_bound_in_front_of_the_template_is_what_sys_inputs_would_give(
    content, tmp_path: Path
) -> None:
    """The data is put in front of the template as a typst string literal instead of the
    compiler's sys_inputs (which rebuild typst's library at every compile): the same PDF, byte
    for byte, for the default templates and for one whose first line is a heading, and text
    that would end the literal or act as typst code is read back as written."""
    import json

    import typst

    from common.documents.model import as_data, printable
    from common.documents.render_pdf import _compiler, source
    from common.documents.templates import LETTER_TYP, RESUME_TYP

    hostile = 'a\\" ) #panic("x") \\\\ \\u{41} "\u2028\n\t\x00 ü 😀 //'
    probe = b"= Heading\n#let data = json(bytes(sys.inputs.data))\n- #data.s\n#sys.version\n"
    reference = typst.Compiler(root=str(tmp_path), ignore_system_fonts=True)
    defaults, shown = Templates(), printable(content)
    letter, resume = as_data(shown.letter), as_data(shown.resume)
    letter["paragraphs"].append(hostile)
    resume["summary"] = hostile
    cases = [
        (probe, {"s": hostile}),
        (defaults.get(LETTER_TYP), letter),
        (defaults.get(RESUME_TYP), resume),
    ]
    stamp = 1_700_000_000  # typst's timestamps (and the document id made from them) fixed
    for template, data in cases:
        text = json.dumps(data, ensure_ascii=False)
        expected = reference.compile(input=template, sys_inputs={"data": text}, timestamp=stamp)
        assert _compiler().compile(input=source(template, text), timestamp=stamp) == expected
    pdf = _compiler().compile(input=source(probe, json.dumps({"s": hostile})))
    flat = re.sub(r"\s+", " ", sample.pdf_text(pdf, tmp_path))
    assert "Heading" in flat
    assert 'a\\" ) #panic("x") \\\\ \\u{41} " ü' in flat


def test_each_docx_keeps_every_reference_part_and_only_its_own_body(content) -> None:
    import zipfile

    from common.documents.render_docx import CORE, DOCUMENT, letter_docx, resume_docx
    from common.documents.templates import REFERENCE_DOCX

    reference = Templates().get(REFERENCE_DOCX)
    with zipfile.ZipFile(io.BytesIO(reference)) as ref:
        kept = {name: ref.read(name) for name in ref.namelist() if name not in {DOCUMENT, CORE}}
    made = [resume_docx(content.resume, reference), letter_docx(content.letter, reference)]
    made.append(resume_docx(content.resume, reference))  # the same again, after another
    bodies = []
    for data in made:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert package.testzip() is None
            names = package.namelist()
            assert len(names) == len(set(names)) == len(kept) + 2  # one entry per part
            assert names[0] == "[Content_Types].xml"
            assert {n: package.read(n) for n in kept} == kept
            bodies.append(package.read(DOCUMENT))
    assert bodies[0] == bodies[2] != bodies[1]
    assert content.letter.greeting.encode() in bodies[1]
