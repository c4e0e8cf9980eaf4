"""``autoapply render`` and ``autoapply generate`` through the real command line entry."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from common.cli.main import main
from tests.helpers import documents as sample


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(sample.profile_doc(), ensure_ascii=False), "utf-8")
    return path


def test_render_resume_only(profile_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["render", "--profile", str(profile_file), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["resume.docx", "resume.pdf"]
    assert str(out / "resume.pdf") in capsys.readouterr().out


def test_render_with_a_job_and_own_templates(profile_file: Path, tmp_path: Path) -> None:
    job = tmp_path / "odra.json"
    job.write_text(json.dumps(sample.job().to_doc()), "utf-8")
    own = tmp_path / "my-templates"
    own.mkdir()
    (own / "letter.typ").write_text(
        "#let data = json(bytes(sys.inputs.data))\nTo #data.company about #data.role\n"
    )
    out = tmp_path / "out"
    args = ["render", "--profile", str(profile_file), "--job", str(job), "--out", str(out)]
    assert main([*args, "--templates", str(own)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        ["resume.pdf", "resume.docx", "cover-letter.pdf", "cover-letter.docx", "cover-letter.txt"]
    )
    assert sorted(p.name for p in own.iterdir()) == ["letter.typ"]  # nothing seeded into it
    letter = sample.pdf_text((out / "cover-letter.pdf").read_bytes(), tmp_path)
    assert "To Odra Energy about Data Engineer" in letter
    resume = sample.pdf_text((out / "resume.pdf").read_bytes(), tmp_path)
    assert "EXPERIENCE" in resume  # the default resume template filled the gap


def test_render_bad_job_file_names_the_field(profile_file: Path, tmp_path: Path, capsys) -> None:
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"title": "Data Engineer"}))
    args = ["render", "--profile", str(profile_file), "--job", str(job), "--out", str(tmp_path)]
    assert main(args) == 2
    assert "field 'company': expected text" in capsys.readouterr().err


def test_demo_then_generate_replaces_documents(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--dir", str(folder)]) == 0
    objects = folder / ".autoapply" / "objects" / "applications"
    pdfs = sorted(objects.glob("*/resume.pdf"))
    assert pdfs and len(sorted(objects.glob("*/cover-letter.pdf"))) == len(pdfs)
    assert list((folder / ".autoapply" / "outbox").glob("*.eml"))
    before = sorted(p.relative_to(objects) for p in objects.rglob("*") if p.is_file())
    capsys.readouterr()
    assert main(["--config", str(folder / "autoapply.yaml"), "generate"]) == 0
    assert "regenerated" in capsys.readouterr().out
    after = sorted(p.relative_to(objects) for p in objects.rglob("*") if p.is_file())
    assert after == before


def test_generate_unknown_job(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--dir", str(folder)]) == 0
    code = main(["--config", str(folder / "autoapply.yaml"), "generate", "--job", "nope"])
    assert code == 2
    assert "job nope or its analysis does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("code", ["en", "de"])
def test_render_takes_an_apify_item_of_any_supported_shape(
    code: str, profile_file: Path, tmp_path: Path, capsys
) -> None:
    from tests.helpers.letters import POSTINGS

    out = tmp_path / "out"
    job = POSTINGS / f"{code}.json"  # a LinkedIn (bebity) item, an Indeed item
    assert (
        main(["render", "--profile", str(profile_file), "--job", str(job), "--out", str(out)]) == 0
    )
    letter = (out / "cover-letter.txt").read_text("utf-8")
    company = "Harbourline Analytics" if code == "en" else "Elbstrom Daten GmbH"
    assert company in letter and "(m/w/d)" not in letter


def test_render_takes_a_job_record_with_a_text_location(profile_file: Path, tmp_path: Path) -> None:
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"title": "Data Engineer", "company": "Odra", "location": "Berlin"}))
    out = tmp_path / "out"
    assert (
        main(["render", "--profile", str(profile_file), "--job", str(job), "--out", str(out)]) == 0
    )
    assert "Dear Odra hiring team," in (out / "cover-letter.txt").read_text("utf-8")


def test_render_unknown_job_id_is_one_line(profile_file: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "autoapply.yaml").write_text(f"data_dir: {tmp_path / 'data'}\n")
    args = [
        "--config",
        str(tmp_path / "autoapply.yaml"),
        "render",
        "--profile",
        str(profile_file),
        "--job",
        "no-such-job",
        "--out",
        str(tmp_path / "out"),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "no job with that id in the store" in err and "\n" not in err


def test_render_takes_a_job_id_from_the_store(profile_file: Path, tmp_path: Path) -> None:
    from common.adapters.store_sqlite import SqliteStore
    from common.store.collections import JOBS

    (tmp_path / "data").mkdir()
    store = SqliteStore(tmp_path / "data" / "autoapply.sqlite3")
    store.put(JOBS, "job-7", sample.job("job-7", company="Warta Data").to_doc())
    store.close()
    (tmp_path / "autoapply.yaml").write_text(f"data_dir: {tmp_path / 'data'}\n")
    out = tmp_path / "out"
    args = ["--config", str(tmp_path / "autoapply.yaml"), "render", "--profile"]
    args += [str(profile_file), "--job", "job-7", "--out", str(out)]
    assert main(args) == 0
    assert "Warta Data" in (out / "cover-letter.txt").read_text("utf-8")


def test_generate_with_worker_processes(tmp_path: Path, capsys, monkeypatch) -> None:
    from common.services import documents

    folder = tmp_path / "demo"
    assert main(["demo", "--dir", str(folder)]) == 0
    objects = folder / ".autoapply" / "objects" / "applications"
    letters = {p: p.read_bytes() for p in sorted(objects.glob("*/cover-letter.txt"))}
    capsys.readouterr()
    monkeypatch.setattr(documents, "POOL_MIN_JOBS", 2)  # the demo's few jobs make a batch
    config = str(folder / "autoapply.yaml")
    children = os.times().children_user
    assert main(["--config", config, "generate", "--workers", "2"]) == 0
    assert os.times().children_user > children  # worker processes made them
    out = capsys.readouterr().out
    assert out.count("regenerated") == len(letters) > 1
    assert {p: p.read_bytes() for p in sorted(objects.glob("*/cover-letter.txt"))} == letters
