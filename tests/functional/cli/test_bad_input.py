"""Every CLI command that reads a malformed input refuses it the same way: a non-zero exit,
exactly one line on stderr naming the problem, no traceback, and the folder (settings, store,
documents, outbox) exactly as it was. The corpus is ``tests/fixtures/bad_input`` (written by
``tests/helpers/bad_input.py``)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from common.cli.main import main
from tests.helpers.bad_input import CORPUS, cases, write_corpus

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = json.loads((CORPUS / "cases.json").read_text())

#: what each command reads: a case breaking one of these must make the command refuse
READS: dict[str, set[str]] = {
    "run": {"settings", "store", "profile", "sender", "analyzer", "mailer", "dataset"},
    "ingest": {"settings", "store", "dataset"},
    "analyze": {"settings", "store", "profile", "analyzer"},
    "generate": {"settings", "store", "profile"},
    "status": {"settings", "store"},
    "report": {"settings", "store"},
    "review": {"settings", "store"},
    "approve": {"settings", "store", "mailer"},
    "reject": {"settings", "store", "mailer"},
    "replay": {"settings", "store"},
    "serve": {"settings", "store"},
    "score": {"settings", "profile", "analyzer", "dataset"},
    "render": {"profile", "job"},
}
_SCRUBBED = ("AUTOAPPLY_", "GEMINI_", "GMAIL_", "APIFY_", "GOOGLE_", "FIRESTORE_", "PUBSUB_")


def argv(command: str, dataset: str, profile: str) -> list[str]:
    args = {
        "run": [dataset],
        "ingest": [dataset],
        "report": ["--html", "report.html"],
        "serve": ["--port", "0"],
        "approve": ["app-none"],
        "reject": ["app-none"],
        "score": ["--profile", profile, "--jobs", dataset],
        "render": ["--profile", profile, "--job", "job.json", "--out", "out"],
    }.get(command, [])
    return ["--config", "autoapply.yaml", command, *args]


def snapshot(folder: Path, dirs: bool = True) -> dict[str, str]:
    """Every path under ``folder``: a content hash for files, "dir" for folders."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_dir():
            if dirs:
                out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED)}
    return {**env, "NO_GCE_CHECK": "True"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good base files with a store holding the base dataset's jobs (ingested once)."""
    folder = tmp_path_factory.mktemp("seeded")
    shutil.copytree(CORPUS / "base", folder, dirs_exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "common.cli.main", *argv("ingest", "dataset.json", ""), "--json"],
        cwd=folder,
        env={**_clean_env(), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["inserted"] == 3
    return folder


def _prepare(seeded: Path, case: dict[str, Any], folder: Path) -> None:
    shutil.copytree(seeded, folder)
    source = CORPUS / "cases" / case["name"]
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        target = folder / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        if target.is_dir():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _profile_argument(folder: Path) -> str:
    """The profile the settings name (``--profile`` of score and render gets the same)."""
    try:
        settings = yaml.safe_load((folder / "autoapply.yaml").read_text())
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return "profile.json"
    named = settings.get("profile") if isinstance(settings, dict) else None
    return named if isinstance(named, str) else "profile.json"


def _never_serve(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("serve started a server on a bad input")


@pytest.mark.parametrize("case", MANIFEST, ids=[c["name"] for c in MANIFEST])
def test_every_command_refuses_it_in_one_line_and_changes_nothing(
    case: dict[str, Any],
    seeded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    folder = tmp_path / "case"
    _prepare(seeded, case, folder)
    for key in list(os.environ):
        if key.startswith(_SCRUBBED):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    monkeypatch.setattr("werkzeug.serving.run_simple", _never_serve)
    monkeypatch.chdir(folder)
    before = snapshot(folder)
    commands = [c for c, reads in READS.items() if case["needs"] in reads]
    assert commands, case
    profile = _profile_argument(folder)
    for command in commands:
        code = main(argv(command, case["dataset"], profile))
        captured = capsys.readouterr()
        lines = captured.err.splitlines()
        where = f"{command} on {case['name']}: {captured.err!r}"
        assert code != 0, where
        assert len(lines) == 1 and lines[0].startswith("autoapply: "), where
        assert "Traceback" not in captured.err and "(a bug;" not in lines[0], where
        assert case["expect"] in lines[0], where
        assert snapshot(folder) == before, f"{command} on {case['name']} changed the folder"


def test_the_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus")
    assert snapshot(tmp_path / "corpus", dirs=False) == snapshot(CORPUS, dirs=False)
    assert len(cases()) == len(MANIFEST) >= 100
