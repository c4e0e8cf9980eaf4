"""Headless Chromium (Debian's package) for screenshots of pages the project makes."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tests.helpers.emulators import require_binary

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def screenshot(page: Path, out: Path, width: int = 1280, height: int = 1000) -> Path:
    """Render ``page`` in headless Chromium and save a PNG screenshot to ``out``."""
    chromium = require_binary("chromium", "apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return out


def dump_dom(page: Path, budget_ms: int = 5000) -> str:
    """Load ``page`` in headless Chromium, let its scripts run, and return the final DOM."""
    chromium = require_binary("chromium", "apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return done.stdout.decode("utf-8")
