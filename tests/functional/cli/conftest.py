"""Fixtures of the CLI tests: a folder configured for every integration, each a local fake."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from common.settings import Gemini
from tests.helpers.fake_apify import FakeApify
from tests.helpers.fake_gemini import FakeGemini
from tests.helpers.fake_gmail import FakeGmail

DEMO = Path(__file__).resolve().parents[3] / "common" / "resources"
ACTOR = "bebity/linkedin-jobs-scraper"
MODEL = Gemini().model  # the pinned default, served by the fake


@pytest.fixture
def fakes() -> Iterator[dict[str, Any]]:
    apify = FakeApify().start()
    apify.add_actor(ACTOR)
    gmail = FakeGmail().start()
    with FakeGemini(api_key="gem-key") as gemini:
        yield {"apify": apify, "gmail": gmail, "gemini": gemini}
    apify.stop()
    gmail.stop()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fakes) -> Path:  # type: ignore[no-untyped-def]
    """A configured folder (Gemini, Gmail drafts, one Apify search), every vendor a fake."""
    shutil.copy(DEMO / "demo" / "profile.json", tmp_path / "profile.json")
    settings = {
        "profile": "profile.json",
        "backends": {"analyzer": "gemini", "mailer": "gmail"},
        "gemini": {"model": MODEL},
        "sending": {"mode": "draft"},
        "searches": [{"name": "python", "actor": ACTOR, "input": {}}],
        "apify": {"api_url": fakes["apify"].url},
    }
    (tmp_path / "autoapply.yaml").write_text(yaml.safe_dump(settings))
    gmail = fakes["gmail"]
    env = {
        "GEMINI_API_KEY": "gem-key",
        "GOOGLE_GEMINI_BASE_URL": fakes["gemini"].url,
        "APIFY_TOKEN": fakes["apify"].token,
        "APIFY_WEBHOOK_SECRET": "hook-secret",
        "AUTOAPPLY_OAUTH_TOKEN_URL": f"{gmail.url}/token",
        "AUTOAPPLY_GMAIL_API_URL": gmail.url,
        **gmail.env(),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AUTOAPPLY_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path
