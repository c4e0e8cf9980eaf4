"""Which analyzer the runtime builds: Gemini only with a key."""

from __future__ import annotations

import pytest

from common.adapters.secrets_env import EnvSecrets
from common.analysis.gemini_analyzer import GeminiAnalyzer
from common.analysis.local_scorer import LocalScorer
from common.errors import ConfigError
from common.runtime import build_analyzer
from common.settings import build_settings


def secrets(**env: str) -> EnvSecrets:
    return EnvSecrets(env=env, dotenv=None)


def test_auto_is_local_without_a_key() -> None:
    assert isinstance(build_analyzer(build_settings({}), secrets()), LocalScorer)


def test_auto_is_gemini_with_a_key_and_pins_the_model() -> None:
    settings = build_settings({"gemini": {"model": "gemini-2.5-flash-lite", "api_version": "v1"}})
    analyzer = build_analyzer(settings, secrets(GEMINI_API_KEY="k"))
    assert isinstance(analyzer, GeminiAnalyzer) and analyzer.remote
    assert analyzer.client.model == "gemini-2.5-flash-lite"


def test_local_only_and_local_backend_ignore_the_key() -> None:
    s = secrets(GEMINI_API_KEY="k")
    assert isinstance(build_analyzer(build_settings({}), s, local_only=True), LocalScorer)
    local = build_settings({"backends": {"analyzer": "local"}})
    assert isinstance(build_analyzer(local, s), LocalScorer)


def test_gemini_backend_without_key_names_the_secret() -> None:
    with pytest.raises(ConfigError, match="gemini-api-key"):
        build_analyzer(build_settings({"backends": {"analyzer": "gemini"}}), secrets())


def test_bad_gemini_setting_names_the_field() -> None:
    with pytest.raises(ConfigError, match=r"gemini\.max_prompt_tokens"):
        build_settings({"gemini": {"max_prompt_tokens": 10}})
