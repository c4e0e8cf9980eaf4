"""``autoapply status --health`` shows the integrations exactly as the health function does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.cli.main import main
from common.services import health
from tests.functional.cli.conftest import MODEL
from tests.helpers.cloudevents import function_client
from tests.helpers.runtimes import reset_shared_runtime

STABLE = ("service", "kind", "status", "enabled", "breaker", "details", "error")


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, folder: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AUTOAPPLY_CONFIG", str(folder / "autoapply.yaml"))
    monkeypatch.setenv("AUTOAPPLY_HEALTH_CACHE_SECONDS", "0")
    monkeypatch.setenv("AUTOAPPLY_LOG_FORMAT", "text")  # log lines to stderr, as in a terminal
    health.clear_cache()
    reset_shared_runtime()
    yield
    health.clear_cache()
    reset_shared_runtime()


def _view(body: dict) -> dict:  # type: ignore[type-arg]
    return {name: {k: entry.get(k) for k in STABLE} for name, entry in body["integrations"].items()}


def _health_function() -> tuple[int, dict]:  # type: ignore[type-arg]
    response = function_client("health", "health_check", "http").get("/api/health/integrations")
    return response.status_code, response.get_json()


def test_same_view_as_the_health_function(fakes, capsys) -> None:  # type: ignore[no-untyped-def]
    fn_code, fn_body = _health_function()
    assert main(["status", "--health", "--json"]) == 0
    cli_body = json.loads(capsys.readouterr().out)
    assert fn_code == 200 and cli_body["status"] == fn_body["status"] == "ok"
    assert _view(cli_body) == _view(fn_body)
    assert {n for n, e in cli_body["integrations"].items() if e["enabled"]} >= {
        "gemini",
        "gmail",
        "apify",
    }


def test_a_down_integration_shows_and_exits_1(fakes, capsys) -> None:  # type: ignore[no-untyped-def]
    fakes["gemini"].models.pop(MODEL)
    fn_code, fn_body = _health_function()
    assert main(["status", "--health", "--json"]) == 1
    cli_body = json.loads(capsys.readouterr().out)
    assert fn_code == 503 and cli_body["status"] == fn_body["status"] == "down"
    assert _view(cli_body) == _view(fn_body)
    assert cli_body["integrations"]["gemini"]["error"]["type"] == "ConfigError"

    assert main(["status", "--health"]) == 1  # the table
    table = capsys.readouterr().out
    assert "integrations: down" in table and "external/gemini" in table and "404" in table
