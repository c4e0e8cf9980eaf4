"""Gemini: the model exists (models.get, by the SDK and by the health probe) and one small
structured call answers in the schema."""

from __future__ import annotations

import os

from common.adapters.gemini import GeminiClient
from common.settings import Gemini
from tests.live.conftest import need

SCHEMA = {
    "type": "object",
    "properties": {"sum": {"type": "integer"}},
    "required": ["sum"],
}


def _settings() -> Gemini:
    return Gemini(model=os.environ.get("AUTOAPPLY_GEMINI_MODEL") or Gemini().model)


def test_model_is_available() -> None:
    (key,) = need("AUTOAPPLY_LIVE_GEMINI_API_KEY")
    settings = _settings()
    described = GeminiClient(key, settings).describe_model()
    assert described["name"] == f"models/{settings.model}"
    assert described["input_token_limit"] > 0


def test_one_structured_call() -> None:
    (key,) = need("AUTOAPPLY_LIVE_GEMINI_API_KEY")
    reply = GeminiClient(key, _settings()).generate_json(
        "Answer in JSON only.", ["What is 2 + 3? Put the number in 'sum'."], SCHEMA
    )
    assert reply.data is not None and reply.data["sum"] == 5, reply.text
    assert reply.finish_reason == "STOP" and (reply.prompt_tokens or 0) > 0
