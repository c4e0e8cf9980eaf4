"""`autoapply init` and `autoapply status` in an empty folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.cli.main import main
from common.domain.candidate import Profile
from common.settings import load_settings

DEMO = Path(__file__).resolve().parents[2] / "common" / "resources" / "demo"


def test_init_writes_valid_starters_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["init", "--dir", str(tmp_path)]) == 0
    settings = load_settings(tmp_path / "autoapply.yaml", env={})
    profile = Profile.load(settings.path(settings.profile or ""))
    assert profile.basics.name == "Your Name"
    (tmp_path / "profile.yaml").write_text("basics: {name: Me}\n")
    assert main(["init", "--dir", str(tmp_path)]) == 1
    assert (tmp_path / "profile.yaml").read_text() == "basics: {name: Me}\n"
    assert "already exist" in capsys.readouterr().out


def test_status_json_counts_by_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "autoapply.yaml").write_text(
        (DEMO / "autoapply.yaml").read_text().replace("profile.json", str(DEMO / "profile.json"))
    )
    assert main(["status", "--json"]) == 0
    empty = json.loads(capsys.readouterr().out)
    assert empty["funnel"]["found"] == 0
    assert main(["run", "--json", str(DEMO / "linkedin-bebity.json")]) == 0
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["funnel"]["found"] == sum(status["jobs"].values()) == 6
    assert status["funnel"]["emails"] == status["applications"]["written"] >= 1
    assert status["data_dir"] == str(tmp_path / ".autoapply")
