"""Live and dead local processes, told by file locks: a SIGKILLed process is dead at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from common.adapters.local_processes import LocalProcesses
from common.store.lease import PROCESS_ID, new_owner, owner_process

ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import sys, time
from common.adapters.local_processes import LocalProcesses
LocalProcesses(sys.argv[1]).register(sys.argv[2])
print("registered", flush=True)
time.sleep(60)
"""

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file locks (flock) are POSIX")


def _child(folder: Path, process_id: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), process_id],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "registered"
    return child


def test_a_killed_process_is_dead_a_live_or_unknown_one_is_not(tmp_path: Path) -> None:
    processes = LocalProcesses(tmp_path)
    child = _child(tmp_path, "child0000000001")
    try:
        assert not processes.is_dead("child0000000001")  # alive: its lock is held
        assert not processes.owner_is_dead("child0000000001.attempt")
        assert not processes.is_dead("never0000000000")  # not registered here: unknown
        assert not processes.owner_is_dead("a-plain-uuid-owner")  # no process part
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert processes.owner_is_dead("child0000000001.attempt")
    assert not (tmp_path / "child0000000001.lock").exists()  # cleaned up once found dead
    assert processes.is_dead("child0000000001")  # and stays dead


def test_this_process_is_alive_and_dead_files_are_cleaned_when_registering(
    tmp_path: Path,
) -> None:
    child = _child(tmp_path, "child0000000002")
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert (tmp_path / "child0000000002.lock").exists()  # SIGKILL: no cleanup of its own
    processes = LocalProcesses(tmp_path)
    processes.register()
    assert not (tmp_path / "child0000000002.lock").exists()
    assert not processes.owner_is_dead(new_owner())
    assert owner_process(new_owner()) == PROCESS_ID
