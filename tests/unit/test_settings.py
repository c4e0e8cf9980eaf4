"""Settings: defaults, the file, environment overrides, and errors that name the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.errors import ConfigError
from common.settings import load_settings


def test_defaults_need_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.backends.store == "sqlite"
    assert settings.sending.mode == "outbox"
    assert settings.source == "defaults"
    assert settings.data_path == (tmp_path / ".autoapply").resolve()


def test_file_values_and_relative_paths(tmp_path: Path) -> None:
    cfg = tmp_path / "conf" / "autoapply.yaml"
    cfg.parent.mkdir()
    cfg.write_text("profile: me.json\nsending:\n  daily_cap: 5\nfilters:\n  remote: only\n")
    settings = load_settings(cfg, env={})
    assert settings.sending.daily_cap == 5
    assert settings.preferences.filters.remote == "only"
    assert settings.path(settings.profile or "") == cfg.parent / "me.json"


def test_environment_overrides_file(tmp_path: Path) -> None:
    cfg = tmp_path / "autoapply.yaml"
    cfg.write_text("backends:\n  store: sqlite\n")
    settings = load_settings(cfg, env={"AUTOAPPLY_STORE": "firestore", "GOOGLE_CLOUD_PROJECT": "p"})
    assert settings.backends.store == "firestore"
    assert settings.gcp.project == "p"
    assert "AUTOAPPLY_STORE" in settings.source


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("sending:\n  daily_cap: 100000\n", "sending.daily_cap"),
        ("sending:\n  mode: shout\n", "sending.mode"),
        ("scoring:\n  apply_threshold: high\n", "scoring.apply_threshold"),
        ("filters:\n  remotee: only\n", "filters.remotee"),
        ("backends:\n  store: mongodb\n", "backends.store"),
    ],
)
def test_bad_value_names_the_field(tmp_path: Path, text: str, field: str) -> None:
    cfg = tmp_path / "autoapply.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(cfg, env={})
    assert info.value.field == field
    assert field in str(info.value) and str(cfg) in str(info.value)


def test_bad_environment_value_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"backends\.bus"):
        load_settings(env={"AUTOAPPLY_BUS": "kafka", "AUTOAPPLY_CONFIG": ""})


def test_thresholds_must_be_ordered(tmp_path: Path) -> None:
    cfg = tmp_path / "autoapply.yaml"
    cfg.write_text("scoring:\n  apply_threshold: 40\n  review_threshold: 60\n")
    with pytest.raises(ConfigError, match="review_threshold"):
        load_settings(cfg, env={})


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    cfg = tmp_path / "autoapply.yaml"
    cfg.write_text("sending: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(cfg, env={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.yaml", env={})
    cfg.write_text("- a list\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_settings(cfg, env={})
