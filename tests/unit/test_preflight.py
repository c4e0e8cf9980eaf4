"""Preflight checks one by one (the CLI runs them through ``preflight``; a health report may
call each): clear errors, and nothing created."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.errors import ConfigError, ValidationError
from common.preflight import Needs, check_data_dir, check_profile, preflight
from common.settings import build_settings


def _settings(tmp_path: Path, **raw: object):  # type: ignore[no-untyped-def]
    return build_settings(raw, base_dir=str(tmp_path))


def test_a_new_data_folder_is_checked_without_being_created(tmp_path: Path) -> None:
    settings = _settings(tmp_path, data_dir="a/b/c")
    assert check_data_dir(settings) == tmp_path / "a" / "b" / "c"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("data_dir", "files", "message"),
    [
        ("f", {"f": b"x"}, "is a file"),
        ("f/sub", {"f": b"x"}, "cannot be created"),
        ("d", {"d/autoapply.sqlite3": b"not sqlite"}, "not a SQLite database"),
        ("d", {"d/outbox": b"x"}, "outbox is a file"),
    ],
)
def test_unusable_data_folders(tmp_path: Path, data_dir: str, files: dict, message: str) -> None:
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    with pytest.raises(ConfigError, match=message) as err:
        check_data_dir(_settings(tmp_path, data_dir=data_dir))
    assert err.value.field == "data_dir" and "data_dir" in err.value.message


def test_an_empty_sqlite_file_is_fine(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "autoapply.sqlite3").write_bytes(b"")
    check_data_dir(_settings(tmp_path, data_dir="d"))


def test_profile_from_the_settings_or_the_local_object_store(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no candidate profile"):
        check_profile(_settings(tmp_path))
    stored = tmp_path / ".autoapply" / "objects" / "candidate" / "profile.json"
    stored.parent.mkdir(parents=True)
    stored.write_text(json.dumps({"basics": {"name": "Mira", "email": "m@example.org"}}))
    assert check_profile(_settings(tmp_path)).basics.name == "Mira"


def test_needs_decide_what_is_checked(tmp_path: Path) -> None:
    settings = _settings(tmp_path, backends={"mailer": "gmail"}, profile="missing.json")
    assert preflight(settings, Needs(store=True)) is None  # no profile, no mailer needed
    with pytest.raises(ValidationError, match=r"missing\.json"):
        preflight(settings, Needs(store=True, profile=True, mailer=True))
    (tmp_path / "missing.json").write_text('{"basics": {"name": "Mira"}}')
    with pytest.raises(ConfigError, match="gmail-refresh-token"):
        preflight(settings, Needs(profile=True, mailer=True))
    with pytest.raises(ValidationError, match=r"basics\.email is missing"):
        preflight(settings, Needs(sender=True))
