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


def test_missing_cloud_credentials_is_one_line_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    unset = ("FIRESTORE_EMULATOR_HOST", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_PROJECT")
    for var in unset:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_GCE_CHECK", "True")  # no metadata server here
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))  # no gcloud login
    monkeypatch.setenv("AUTOAPPLY_STORE", "firestore")
    assert main(["status"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "credentials" in err and "application-default login" in err


def test_missing_profile_is_one_line_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "autoapply.yaml").write_text("profile: missing.json\n")
    assert main(["run", str(DEMO / "linkedin-bebity.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "missing.json" in err and "autoapply.yaml" in err


def test_invalid_profile_names_the_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profile.json").write_text('{"basics": {"label": "no name"}}')
    (tmp_path / "autoapply.yaml").write_text("profile: profile.json\n")
    assert main(["run", str(DEMO / "linkedin-bebity.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert "basics.name" in err and len(err.splitlines()) == 1
