"""gcp-storage-emulator as a subprocess on a free port, for Cloud Storage adapter tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.emulators import skip_or_fail

BUCKET = "autoapply-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_gcs_emulator(bucket: str = BUCKET) -> Iterator[str]:
    """Start the emulator with ``bucket``; yield its URL; stop it."""
    exe = shutil.which("gcp-storage-emulator") or str(
        Path(sys.executable).with_name("gcp-storage-emulator")
    )
    if not Path(exe).exists():
        skip_or_fail("gcp-storage-emulator is not installed (pip install -r requirements-dev.txt)")
    port = _free_port()
    proc = subprocess.Popen(
        [
            exe,
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--in-memory",
            "--default-bucket",
            bucket,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("gcp-storage-emulator did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
