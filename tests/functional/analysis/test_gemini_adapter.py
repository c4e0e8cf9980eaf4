"""The real google-genai client against the fake Gemini server: wire format and errors."""

from __future__ import annotations

import pytest

from common.adapters.gemini import GeminiClient
from common.analysis.prompt import SCHEMA
from common.errors import AuthError, BudgetExhausted, RetryableError
from common.settings import Gemini
from tests.helpers.fake_gemini import (
    FakeGemini,
    answer,
    blocked,
    rate_limited,
    raw_text,
    unavailable,
)


def ask(client: GeminiClient):
    return client.generate_json("instructions", ["profile", "posting"], SCHEMA)


def test_structured_request_and_parsed_answer(
    fake_gemini: FakeGemini, gemini_client: GeminiClient
) -> None:
    fake_gemini.script(answer(score=91))
    reply = ask(gemini_client)
    assert reply.data is not None and reply.data["score"] == 91
    assert reply.prompt_tokens and reply.prompt_tokens > 0
    sent = fake_gemini.requests[0]
    assert sent.path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert sent.api_key == "test-key"
    config = sent.body["generationConfig"]
    assert config["temperature"] == 0.1
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["required"][0] == "score"
    assert sent.body["systemInstruction"]["parts"][0]["text"] == "instructions"
    assert [p["text"] for p in sent.body["contents"][0]["parts"]] == ["profile", "posting"]


def test_api_version_and_model_are_pinned_from_settings(fake_gemini: FakeGemini) -> None:
    client = GeminiClient("test-key", Gemini(model="gemini-2.5-flash-lite", api_version="v1"))
    ask(client)
    assert fake_gemini.requests[0].path == "/v1/models/gemini-2.5-flash-lite:generateContent"


def test_invalid_json_gives_no_data(fake_gemini: FakeGemini, gemini_client: GeminiClient) -> None:
    fake_gemini.script(raw_text('{"score": 80, "decision": '))
    reply = ask(gemini_client)
    assert reply.data is None and reply.text == '{"score": 80, "decision": '


def test_blocked_prompt(fake_gemini: FakeGemini, gemini_client: GeminiClient) -> None:
    fake_gemini.script(blocked("PROHIBITED_CONTENT"))
    reply = ask(gemini_client)
    assert reply.block_reason == "PROHIBITED_CONTENT" and reply.data is None


def test_429_carries_the_retry_delay_and_is_not_retried(
    fake_gemini: FakeGemini, gemini_client: GeminiClient
) -> None:
    fake_gemini.script(rate_limited("26s"))
    with pytest.raises(BudgetExhausted) as caught:
        ask(gemini_client)
    assert caught.value.retry_after == 26
    assert fake_gemini.calls == 1  # one retry layer: redelivery, not the SDK


def test_503_is_retryable_and_not_retried(
    fake_gemini: FakeGemini, gemini_client: GeminiClient
) -> None:
    fake_gemini.script(unavailable())
    with pytest.raises(RetryableError) as caught:
        ask(gemini_client)
    assert not isinstance(caught.value, BudgetExhausted)
    assert fake_gemini.calls == 1


def test_bad_key_is_an_auth_error(fake_gemini: FakeGemini) -> None:
    with pytest.raises(AuthError, match="GEMINI_API_KEY"):
        ask(GeminiClient("wrong", Gemini()))


def test_unreachable_server_is_retryable(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeGemini() as fake:
        url = fake.url
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", url)  # closed: connection refused
    with pytest.raises(RetryableError, match="unreachable"):
        ask(GeminiClient("k", Gemini(timeout_s=2)))
