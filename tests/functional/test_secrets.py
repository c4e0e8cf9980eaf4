"""Secrets: environment and .env, and Secret Manager through its REST transport."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from common.adapters.secrets_env import EnvSecrets, env_name
from common.errors import PermanentError
from tests.helpers.fake_secret_manager import FakeSecretManager


def test_env_name() -> None:
    assert env_name("gemini-api-key") == "GEMINI_API_KEY"


def test_env_then_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("APIFY_TOKEN=from-file\nGEMINI_API_KEY=file-key\n")
    secrets = EnvSecrets(env={"GEMINI_API_KEY": "env-key", "EMPTY": ""}, dotenv=dotenv)
    assert secrets.get("gemini-api-key") == "env-key"  # the environment wins
    assert secrets.get("apify-token") == "from-file"
    assert secrets.get("empty") is None
    assert secrets.get("missing") is None


@pytest.fixture
def fake_sm(httpserver: HTTPServer) -> FakeSecretManager:
    return FakeSecretManager(httpserver, "proj", {"apify-token": "tok-123", "unicode": "žluť"})


def _client(endpoint: str):  # type: ignore[no-untyped-def]
    from common.adapters.secrets_gsm import SecretManagerSecrets

    return SecretManagerSecrets("proj", endpoint=endpoint)


def test_secret_manager_reads_latest_version(fake_sm: FakeSecretManager) -> None:
    secrets = _client(fake_sm.endpoint)
    assert secrets.get("apify-token") == "tok-123"
    assert secrets.get("unicode") == "žluť"
    assert fake_sm.calls[0] == "/v1/projects/proj/secrets/apify-token/versions/latest:access"


def test_secret_manager_missing_secret_is_none(fake_sm: FakeSecretManager) -> None:
    assert _client(fake_sm.endpoint).get("nope") is None


def test_secret_manager_caches_values(fake_sm: FakeSecretManager) -> None:
    secrets = _client(fake_sm.endpoint)
    for _ in range(5):
        secrets.get("apify-token")
    assert len(fake_sm.calls) == 1


def test_secret_manager_rejects_corrupt_payload(fake_sm: FakeSecretManager) -> None:
    fake_sm.corrupt.add("apify-token")
    with pytest.raises(PermanentError, match="checksum"):
        _client(fake_sm.endpoint).get("apify-token")


def test_secret_manager_unavailable_once_is_retried_by_the_sdk(
    fake_sm: FakeSecretManager,
) -> None:
    """The SDK's own retry (503/429 on access) is the one retry layer for secrets."""
    fake_sm.unavailable = 1
    assert _client(fake_sm.endpoint).get("apify-token") == "tok-123"
    assert len(fake_sm.calls) == 2
