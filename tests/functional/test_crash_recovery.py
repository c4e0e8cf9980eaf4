"""SIGKILL the local pipeline part-way, run again, and end exactly where one clean run ends.

Each case runs the real ``autoapply`` command in a subprocess that kills itself (SIGKILL: no
cleanup, no lease given back) right after its Nth write (tests/helpers/crash_cli.py). N is
drawn per seed inside one stage (ingest, analysis, documents, email) from the trace of a clean
run. Then ``autoapply run`` (same files) or ``autoapply resume`` runs to the end, and the
state must equal the clean run's: the same jobs and applications by state, the same analyses,
the same ``.eml`` files, one file per Message-ID, and no dead letter; scores within
``SCORE_SLACK`` (:mod:`tests.helpers.end_state`), decisions the same.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.end_state import assert_same_end

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "common" / "resources" / "demo"
DATASETS = ("glassdoor.json", "google-jobs.json", "indeed.jsonl", "linkedin-bebity.json")
#: what marks each stage in the trace of a run: (what was written, collection or key prefix)
STAGES: dict[str, Callable[[str, str], bool]] = {
    "ingest": lambda what, key: (
        key in ("jobs", "job_urls", "job_keys", "job_fingerprints")
        and what in ("SqliteStore.put_many", "SqliteStore.create_many")
    ),
    "analysis": lambda what, key: key == "analyses" or key.startswith("analyze:"),
    # the documents' files and the application record they create (later writes to
    # applications belong to delivery and the digest)
    "documents": lambda what, key: (
        key.startswith("applications/") or (what == "SqliteStore.put" and key == "applications")
    ),
    "email": lambda what, key: key == "outbox" or what == "OutboxMailer.deliver",
}


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    for name in ("autoapply.yaml", "profile.json", *DATASETS):
        shutil.copy(DEMO / name, path / name)
    return path


def _autoapply(folder: Path, *args: str, kill_after: int = 0, trace: Path | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOAPPLY_", "GEMINI"))}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "tests.helpers.crash_cli", "--kill-after", str(kill_after)]
    if trace:
        command += ["--trace", str(trace)]
    command += ["--", "--config", str(folder / "autoapply.yaml"), *args]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, timeout=300)
    if done.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(f"autoapply {args} exited {done.returncode}: {done.stderr!r}")
    return done.returncode


def _run(folder: Path, **kw: Any) -> int:
    return _autoapply(folder, "run", "--json", *(str(folder / d) for d in DATASETS), **kw)


def snapshot(folder: Path) -> dict[str, Any]:
    """What a run leaves: states, analyses, emails (no duplicate Message-ID allowed)."""
    from common.adapters.store_sqlite import SqliteStore
    from common.store.collections import ANALYSES, APPLICATIONS, DEAD_LETTERS, JOBS

    store = SqliteStore(folder / ".autoapply" / "autoapply.sqlite3")
    try:
        state = {
            "jobs": {i: d["status"] for i, d in store.query(JOBS)},
            "analyses": {i: (d["score"], d["decision"]) for i, d in store.query(ANALYSES)},
            "applications": {i: d["status"] for i, d in store.query(APPLICATIONS)},
            "dead_letters": len(store.query(DEAD_LETTERS)),
        }
    finally:
        store.close()
    emails = sorted((folder / ".autoapply" / "outbox").glob("*.eml"))
    ids = [message_from_bytes(p.read_bytes())["Message-ID"] for p in emails]
    assert len(ids) == len(set(ids)), f"duplicate Message-ID: {sorted(ids)}"
    state["emails"] = sorted(zip((p.name for p in emails), ids, strict=True))
    return state


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One clean run: its end state, and the trace of its writes by stage."""
    folder = _folder(tmp_path_factory.mktemp("clean") / "run")
    trace = folder / "trace.txt"
    assert _run(folder, trace=trace) == 0
    lines = [line.split(" ", 2) for line in trace.read_text().splitlines()]
    stages: dict[str, list[int]] = {name: [] for name in STAGES}
    for n, what, key in lines:
        for name, matches in STAGES.items():
            if matches(what, key):
                stages[name].append(int(n))
    state = snapshot(folder)
    assert state["emails"] and state["applications"] and not state["dead_letters"]
    assert all(stages.values()), stages
    first_delivery = next(int(n) for n, what, _ in lines if what == "OutboxMailer.deliver")
    return {"state": state, "stages": stages, "first_delivery": first_delivery}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("stage", list(STAGES))
def test_killed_in_a_stage_then_run_again_ends_as_a_clean_run(
    clean: dict[str, Any], tmp_path: Path, stage: str, seed: int
) -> None:
    folder = _folder(tmp_path / "run")
    points = clean["stages"][stage]
    kill_after = random.Random(f"{stage}-{seed}").randint(points[0], points[-1])
    assert _run(folder, kill_after=kill_after) == -signal.SIGKILL
    killed = snapshot(folder)
    assert killed != clean["state"], "the kill should leave work unfinished"
    if seed % 2 == 0 and stage != "ingest":  # every input was read: resume alone finishes
        assert _autoapply(folder, "resume", "--json") == 0
    else:
        assert _run(folder) == 0
    assert_same_end(snapshot(folder), clean["state"], f"killed after write {kill_after} ({stage})")


def test_killed_after_the_mailer_wrote_then_resumed_writes_each_email_once(
    clean: dict[str, Any], tmp_path: Path
) -> None:
    """The worst moment: the .eml is written, the outbox does not know it yet."""
    folder = _folder(tmp_path / "run")
    trace = folder / "trace.txt"
    assert _run(folder, trace=trace, kill_after=clean["first_delivery"]) == -signal.SIGKILL
    assert trace.read_text().splitlines()[-1].split()[1] == "OutboxMailer.deliver"
    assert _autoapply(folder, "resume", "--json") == 0
    assert_same_end(snapshot(folder), clean["state"])


def test_killed_twice_then_resumed(clean: dict[str, Any], tmp_path: Path) -> None:
    """A rerun killed in its turn (its own leases left behind) still ends as a clean run."""
    folder = _folder(tmp_path / "run")
    analysis = clean["stages"]["analysis"]
    assert _run(folder, kill_after=analysis[len(analysis) // 2]) == -signal.SIGKILL
    assert _run(folder, kill_after=25) == -signal.SIGKILL
    assert _autoapply(folder, "resume", "--json") == 0
    assert_same_end(snapshot(folder), clean["state"])
