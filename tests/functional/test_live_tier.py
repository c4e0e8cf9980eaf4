"""The live tier itself (tests/live, ``make test-live``), tested in the normal suite.

It is not collected without ``--live``; without credentials every test skips with one line
naming the variables to set; pointed at the local fakes and emulators through the same
base-URL variables the code honours, it runs green and really calls them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from common.settings import Gemini
from tests.helpers.emulators import require
from tests.helpers.fake_apify import FakeApify
from tests.helpers.fake_gemini import FakeGemini, raw_text
from tests.helpers.fake_gmail import FakeGmail
from tests.helpers.fake_secret_manager import FakeSecretManager

ROOT = Path(__file__).resolve().parents[2]
#: what the live tests read; scrubbed from the environment of the runs below
OVERRIDES = (
    "GOOGLE_GEMINI_BASE_URL",
    "AUTOAPPLY_GEMINI_MODEL",
    "AUTOAPPLY_GMAIL_ENDPOINT",
    "AUTOAPPLY_GMAIL_TOKEN_URI",
    "AUTOAPPLY_APIFY_API_URL",
    "AUTOAPPLY_SECRETMANAGER_ENDPOINT",
    "AUTOAPPLY_FIRESTORE_DATABASE",
)


def _pytest(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AUTOAPPLY_LIVE_") and k not in OVERRIDES
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _collected() -> list[str]:
    done = _pytest("--live", "--collect-only", "tests/live", env={})
    ids = [line for line in done.stdout.splitlines() if "::" in line]
    assert ids, done.stdout
    return ids


def test_not_collected_without_the_live_option() -> None:
    done = _pytest("--collect-only", "tests/live", env={})
    assert done.returncode == 5 and "no tests collected" in done.stdout, done.stdout
    done = _pytest("--collect-only", "tests/live", "tests/unit/test_tracing.py", env={})
    assert "tests/live" not in done.stdout and "test_tracing.py" in done.stdout


def test_without_credentials_each_test_skips_naming_its_variable() -> None:
    ids = _collected()
    done = _pytest("--live", "tests/live", "-rs", "--no-fold-skipped", env={})
    assert done.returncode == 0, done.stdout + done.stderr
    skipped = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == len(ids) >= 7
    for line in skipped:
        assert re.search(r"Skipped: set AUTOAPPLY_LIVE_[A-Z_]+ \(", line), line
    assert f"{len(ids)} skipped" in done.stdout


@pytest.mark.firestore
@pytest.mark.pubsub
def test_with_the_fakes_the_tier_runs_green(httpserver: HTTPServer) -> None:
    require("FIRESTORE_EMULATOR_HOST", "Firestore")
    require("PUBSUB_EMULATOR_HOST", "Pub/Sub")
    project = f"live-{uuid.uuid4().hex[:8]}"
    secrets = FakeSecretManager(httpserver, project, {"apify-webhook-secret": "hook-1"})
    apify = FakeApify().start()
    apify.add_run("run-live", "someone/jobs", [{"title": f"job {i}"} for i in range(7)])
    gmail = FakeGmail().start()
    try:
        with FakeGemini(api_key="gem-live", default=raw_text(json.dumps({"sum": 5}))) as gemini:
            env = {
                "AUTOAPPLY_LIVE_GEMINI_API_KEY": "gem-live",
                "GOOGLE_GEMINI_BASE_URL": gemini.url,
                "AUTOAPPLY_LIVE_GMAIL_REFRESH_TOKEN": "refresh-live",
                "AUTOAPPLY_LIVE_GMAIL_CLIENT_ID": "client-live",
                "AUTOAPPLY_LIVE_GMAIL_CLIENT_SECRET": "secret-live",
                "AUTOAPPLY_GMAIL_ENDPOINT": gmail.url,
                "AUTOAPPLY_GMAIL_TOKEN_URI": f"{gmail.url}/token",
                "AUTOAPPLY_LIVE_APIFY_TOKEN": apify.token,
                "AUTOAPPLY_APIFY_API_URL": apify.url,
                "AUTOAPPLY_LIVE_APIFY_RUN": "run-live",
                "AUTOAPPLY_LIVE_GCP_PROJECT": project,
                "AUTOAPPLY_SECRETMANAGER_ENDPOINT": secrets.endpoint,
            }
            done = _pytest("--live", "tests/live", "-rs", env=env)
    finally:
        apify.stop()
        gmail.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b7 passed\b", done.stdout) and "skipped" not in done.stdout, done.stdout
    # each test really reached its service
    (call,) = gemini.requests
    assert call.body["generationConfig"]["responseJsonSchema"]["required"] == ["sum"]
    assert gemini.lookups == [Gemini().model]
    assert gmail.calls["drafts.create"] == gmail.calls["drafts.delete"] == 1
    assert gmail.calls["drafts.list"] >= 2 and not gmail.messages and not gmail.sent_count
    assert ("/v2/actor-runs/run-live", "") in apify.requests
    assert apify.page_reads(apify.runs["run-live"]["defaultDatasetId"]) == ["offset=0&limit=5"]
    assert any("apify-webhook-secret" in path for path in secrets.calls)
