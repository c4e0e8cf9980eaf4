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
    thinking_config,
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
    assert sent.path == f"/v1beta/models/{Gemini().model}:generateContent"
    assert sent.api_key == "test-key"
    config = sent.body["generationConfig"]
    assert "temperature" not in config  # the model's default (see Gemini.temperature)
    assert config["maxOutputTokens"] == Gemini().max_output_tokens
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


# -- models, thinking and truncated answers -------------------------------------------------
def test_the_default_model_is_one_the_api_serves(fake_gemini: FakeGemini) -> None:
    """gemini-2.5-flash, the first default, is retired (404); the pinned default is not."""
    assert Gemini().model in fake_gemini.models
    assert "gemini-2.5-flash" not in fake_gemini.models
    ask(GeminiClient("test-key", Gemini()))


@pytest.mark.parametrize(
    ("model", "config"),
    [
        ("gemini-3.8-flash", {"thinkingLevel": "LOW"}),  # Gemini 3: a level, no budget
        ("gemini-2.5-flash-lite", {"thinkingBudget": 0}),  # Gemini 2.x: a budget, no level
    ],
)
def test_thinking_is_set_explicitly_for_the_models_family(
    fake_gemini: FakeGemini, model: str, config: dict
) -> None:
    reply = ask(GeminiClient("test-key", Gemini(model=model)))
    assert thinking_config(fake_gemini.requests[0].body) == config
    assert reply.data is not None and reply.finish_reason == "STOP"
    assert reply.thoughts_tokens == (180 if "thinkingLevel" in config else 0)


def test_thoughts_fill_the_output_and_the_answer_is_cut(fake_gemini: FakeGemini) -> None:
    reply = ask(GeminiClient("test-key", Gemini(thinking_level="high", max_output_tokens=2048)))
    assert reply.finish_reason == "MAX_TOKENS" and reply.data is None
    assert reply.thoughts_tokens == 3800


def test_retired_model_is_a_configuration_error(fake_gemini: FakeGemini) -> None:
    from common.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        ask(GeminiClient("test-key", Gemini(model="gemini-2.5-flash")))
    assert caught.value.field == "gemini.model"
    assert "gemini-2.5-flash" in caught.value.message and Gemini().model in caught.value.message


def test_a_thinking_level_the_model_refuses_is_a_configuration_error(
    fake_gemini: FakeGemini,
) -> None:
    from common.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        ask(GeminiClient("test-key", Gemini(thinking_level="minimal")))  # 3.8: low at least
    assert caught.value.field == "gemini.thinking_level"


def test_temperature_is_sent_only_when_set(fake_gemini: FakeGemini) -> None:
    ask(GeminiClient("test-key", Gemini(temperature=0.2)))
    assert fake_gemini.requests[0].body["generationConfig"]["temperature"] == 0.2
