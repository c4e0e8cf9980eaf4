"""``autoapply ingest`` in an empty folder, with --json and the table output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from common.adapters.store_sqlite import SqliteStore
from common.cli.main import main
from common.store.collections import JOBS
from tests.helpers import replicas

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


def test_real_shaped_exports_ingest_or_say_why(
    empty_folder: Path, capsys: pytest.CaptureFixture
) -> None:
    names = ["linkedin_spreadsheet_reexport.csv", "indeed_nested_export.csv",
             "linkedin_blackfalcon.json", "ambiguous.json"]  # fmt: skip
    assert main(["ingest", *(str(FIXTURES / n) for n in names), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["received"], counts["inserted"], counts["duplicates"]) == (13, 9, 0)
    assert counts["rejected"] == {
        "linkedin-bebity: id cut short by a spreadsheet (scientific notation), no job URL": 1,
        "ambiguous item shape (indeed-flat or indeed-nested; choose one with --source NAME)": 1,
        "unknown item shape (closest: linkedin-bebity; if it is one, use --source "
        "bebity/linkedin-jobs-scraper)": 1,
        "unknown item shape (no field of a supported actor)": 1,
    }


def test_a_spreadsheet_reexport_of_a_thousand_postings(
    empty_folder: Path, capsys: pytest.CaptureFixture
) -> None:
    """The issue's case: bebity items re-exported through a spreadsheet (no jobUrl, no HTML,
    city/state columns, an index column) are recognized and keep their locations."""
    rows = [replicas.spreadsheet_row(i) for i in replicas.stream(replicas.bebity, 1000, seed=11)]
    path = replicas.write_csv(empty_folder / "linkedin.csv", rows, index_column="", bom=True)
    assert main(["ingest", str(path), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["received"] == 1000
    assert sum(counts["rejected"].values()) <= 20  # <= 2%
    store = SqliteStore(empty_folder / ".autoapply" / "autoapply.sqlite3")
    jobs = [doc for _, doc in store.query(JOBS)]
    assert len(jobs) == counts["inserted"] > 900
    carried = [d for d in jobs if d["location"] != {"city": None, "state": None, "country": None}]
    assert len(carried) >= 0.9 * len(jobs)
    assert all(d["job_url"].startswith("https://www.linkedin.com/jobs/view/") for d in jobs)
    assert sum(1 for d in jobs if d["location"]["country"]) >= 0.9 * len(jobs)
