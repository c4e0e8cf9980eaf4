"""``autoapply ingest`` in an empty folder, with --json and the table output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from common.cli.main import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "apify"
DEMO = Path(__file__).resolve().parents[3] / "common" / "resources" / "demo"


@pytest.fixture
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in list(os.environ):
        if var.startswith("AUTOAPPLY_"):
            monkeypatch.delenv(var)
    return tmp_path


def test_json_counts_in_an_empty_folder(empty_folder: Path, capsys: pytest.CaptureFixture) -> None:
    paths = [str(DEMO / "linkedin-bebity.json"), str(FIXTURES / "indeed_flat.json")]
    assert main(["ingest", *paths, "--json"]) == 0
    out, err = capsys.readouterr()
    counts = json.loads(out)
    assert counts == {
        "received": 10,
        "inserted": 8,
        "duplicates": 1,
        "rejected": {"unknown item shape (no field of a supported actor)": 1},
    }
    store = empty_folder / ".autoapply" / "autoapply.sqlite3"
    assert store.is_file() and str(store) in err
    assert main(["ingest", *paths, "--json"]) == 0  # the second time: all duplicates
    again = json.loads(capsys.readouterr().out)
    assert (again["inserted"], again["duplicates"]) == (0, 9)


def test_source_forces_the_actor(empty_folder: Path, capsys: pytest.CaptureFixture) -> None:
    path = str(FIXTURES / "indeed_flat.json")
    assert main(["ingest", path, "--source", "bebity/linkedin-jobs-scraper", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["inserted"] == 0
    assert counts["rejected"] == {"linkedin-bebity: missing title or company": 2}
    assert main(["ingest", path, "--source", "nobody/else", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rejected"] == {"unsupported actor 'nobody/else'": 2}


def test_table_output_names_the_store(empty_folder: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["ingest", str(FIXTURES / "glassdoor.json")]) == 0
    out = capsys.readouterr().out
    assert "inserted" in out and ".autoapply" in out


def test_bad_file_is_one_line_exit_2(empty_folder: Path, capsys: pytest.CaptureFixture) -> None:
    (empty_folder / "bad.json").write_text("[1,")
    assert main(["ingest", "bad.json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("autoapply: bad.json") and len(err.strip().splitlines()) == 1
