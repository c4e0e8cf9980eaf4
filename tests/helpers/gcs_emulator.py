"""A ``gcp-storage-emulator`` (PyPI) server for tests: a subprocess on a free local port.

Use the ``gcs_emulator`` fixture (session scope, see tests/conftest.py): it yields the
``http://127.0.0.1:PORT`` endpoint; :func:`gcs_client` gives a real ``google-cloud-storage``
client pointed at it, :func:`fresh_bucket` an empty bucket per test.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT = "autoapply-test"


def free_port() -> int:
    """A port nothing listens on right now (127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command() -> list[str]:
    exe = Path(sys.executable).with_name("gcp-storage-emulator")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("gcp-storage-emulator")
    if found:
        return [found]
    raise RuntimeError(
        "gcp-storage-emulator is not installed (pip install -r requirements-dev.txt)"
    )


@contextlib.contextmanager
def running_emulator(timeout: float = 20.0) -> Iterator[str]:
    """Start the emulator in memory on 127.0.0.1 and yield its endpoint; stop it after."""
    port = free_port()
    proc = subprocess.Popen(
        [*_command(), "start", "--host", "127.0.0.1", "--port", str(port), "--in-memory", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"gcp-storage-emulator exited: {err[-500:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gcp-storage-emulator did not listen on {port} in {timeout}s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def gcs_client(endpoint: str) -> Any:
    """A real ``google.cloud.storage.Client`` talking to the emulator (no credentials)."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    return storage.Client(
        project=PROJECT,
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": endpoint},
    )


def fresh_bucket(endpoint: str) -> str:
    """Create an empty bucket with a unique name; returns the name."""
    name = f"autoapply-test-{uuid.uuid4().hex[:10]}"
    gcs_client(endpoint).create_bucket(name)
    return name


@pytest.fixture(scope="session")
def gcs_emulator() -> Iterator[str]:
    """The endpoint of one emulator shared by the session (tests use their own buckets)."""
    with running_emulator() as endpoint:
        yield endpoint


@pytest.fixture
def gcs_objects(gcs_emulator: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A :class:`GcsObjectStore` on a fresh bucket, built the way the runtime builds it."""
    from common.adapters.objects_gcs import GcsObjectStore

    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_emulator)
    return GcsObjectStore(fresh_bucket(gcs_emulator), PROJECT)
