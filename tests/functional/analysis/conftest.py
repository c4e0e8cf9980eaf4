"""The fake Gemini server, reached by the real google-genai client via its own env var."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from common.adapters.gemini import GeminiClient
from common.settings import Gemini
from tests.helpers.fake_gemini import FakeGemini


@pytest.fixture
def fake_gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGemini]:
    with FakeGemini(api_key="test-key") as fake:
        monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
        yield fake


@pytest.fixture
def gemini_client(fake_gemini: FakeGemini) -> GeminiClient:
    return GeminiClient("test-key", Gemini(timeout_s=5))
