"""`autoapply demo`: the bundled sample data through the whole pipeline to .eml files."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.cli.main import main


def test_demo_writes_emails_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["demo", "--dir", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    written = [
        line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("email written")
    ]
    assert written and all(Path(p).is_file() and p.endswith(".eml") for p in written)
    assert str(tmp_path / "demo") in out


def test_demo_twice_starts_fresh(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    for _ in range(2):
        assert main(["demo", "--dir", str(tmp_path / "demo")]) == 0
    emails = list((tmp_path / "demo" / ".autoapply" / "outbox").glob("*.eml"))
    assert len(emails) == capsys.readouterr().out.count("email written") // 2


def test_bad_config_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    cfg = tmp_path / "autoapply.yaml"
    cfg.write_text("sending:\n  mode: shout\n")
    assert main(["--config", str(cfg), "run", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("autoapply:") and "sending.mode" in err and "Traceback" not in err


def test_demo_never_empties_a_folder_that_is_not_a_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.txt").write_text("years of work")
    for argv in (["demo", "--dir", str(mine)], ["demo", "--dir", str(mine), "--keep"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and "not a previous demo" in err
    assert [p.name for p in mine.iterdir()] == ["chapter1.txt"]
    (tmp_path / "file").write_text("x")
    assert main(["demo", "--dir", str(tmp_path / "file")]) == 2
    assert "is a file" in capsys.readouterr().err
