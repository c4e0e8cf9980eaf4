"""The source zips Terraform uploads: reproducible bytes, so the content hash names the code."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from common.errors import ConfigError
from scripts.build_bundles import build
from scripts.package_bundles import package, zip_bundle

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "common/resources/demo/autoapply.yaml"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    build(out, ["scrape", "health"])
    return out


def test_same_code_same_bytes(bundles: Path, tmp_path: Path) -> None:
    first = package(bundles, tmp_path / "a")
    (bundles / "scrape" / "main.py").touch()  # a new mtime is not a change
    second = package(bundles, tmp_path / "b")
    assert first == second and set(first) == {"scrape", "health"}
    assert (tmp_path / "a/scrape.zip").read_bytes() == (tmp_path / "b/scrape.zip").read_bytes()


def test_a_code_change_is_a_new_hash_for_that_function_only(bundles: Path, tmp_path: Path) -> None:
    before = package(bundles, tmp_path / "a")
    main = bundles / "health" / "main.py"
    original = main.read_bytes()
    main.write_bytes(original + b"\n# changed\n")
    try:
        after = package(bundles, tmp_path / "b")
    finally:
        main.write_bytes(original)
    assert after["health"] != before["health"]
    assert after["scrape"] == before["scrape"]


def test_zip_holds_the_bundle(bundles: Path, tmp_path: Path) -> None:
    zip_bundle(bundles / "scrape", tmp_path / "scrape.zip")
    with zipfile.ZipFile(tmp_path / "scrape.zip") as zf:
        names = set(zf.namelist())
        assert {"main.py", "requirements.txt", "common/__init__.py"} <= names
        assert not any("__pycache__" in n for n in names)
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.read("main.py") == (bundles / "scrape" / "main.py").read_bytes()


def test_config_is_deployed_without_the_local_profile_path(bundles: Path, tmp_path: Path) -> None:
    config = tmp_path / "autoapply.yaml"
    original = {**yaml.safe_load(DEMO_CONFIG.read_text()), "profile": "/home/me/profile.json"}
    config.write_text(yaml.safe_dump(original))
    plain = package(bundles, tmp_path / "plain")
    with_config = package(bundles, tmp_path / "cfg", config)
    assert plain["scrape"] != with_config["scrape"]  # a settings change redeploys
    with zipfile.ZipFile(tmp_path / "cfg" / "scrape.zip") as zf:
        deployed = yaml.safe_load(zf.read("autoapply.yaml"))
    assert "profile" not in deployed
    assert deployed == {k: v for k, v in original.items() if k != "profile"}


def test_a_bad_config_fails_before_anything_is_written(bundles: Path, tmp_path: Path) -> None:
    config = tmp_path / "autoapply.yaml"
    config.write_text("sending:\n  mode: spam\n")
    with pytest.raises(ConfigError, match=r"sending\.mode"):
        package(bundles, tmp_path / "out", config)
    assert not (tmp_path / "out").exists()


def test_no_bundles_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="make bundle"):
        package(tmp_path, tmp_path / "out")
