"""The health function through functions-framework's test client, against fake vendors.

Each integration healthy, slow, failing and misconfigured (a missing secret); the body never
contains a secret value or personal data.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from common.clock import iso
from common.runtime import shared_runtime
from common.services import health
from common.settings import Gemini
from common.store.collections import BREAKERS
from tests.helpers.cloudevents import function_client
from tests.helpers.runtimes import reset_shared_runtime

SECRETS = {
    "GEMINI_API_KEY": "gem-SECRET-key-0001",
    "APIFY_TOKEN": "apify_api_SECRET-token-0002",
    "APIFY_WEBHOOK_SECRET": "hook-SECRET-0003",
    "GMAIL_CLIENT_ID": "client-id-SECRET-0004.apps.googleusercontent.com",
    "GMAIL_CLIENT_SECRET": "GOCSPX-SECRET-0005",
    "GMAIL_REFRESH_TOKEN": "1//refresh-SECRET-0006",
}
ACCESS_TOKEN = "ya29.access-SECRET-0007"
MODEL = Gemini().model
PERSONAL = "jana.novakova@example.com"
CONFIG = """
data_dir: data
backends: {analyzer: gemini, mailer: gmail}
health: {cache_seconds: %s, slow_ms: 150, timeout_seconds: 2}
searches: [{name: python-prague, actor: bebity/linkedin-jobs-scraper}]
"""
ROUTES: dict[str, list[tuple[str, str, dict[str, str], dict[str, Any]]]] = {
    "gemini": [
        (
            f"/v1beta/models/{MODEL}",
            "GET",
            {"x-goog-api-key": SECRETS["GEMINI_API_KEY"]},
            {"name": f"models/{MODEL}", "supportedGenerationMethods": ["generateContent"]},
        )
    ],
    "apify": [
        (
            "/v2/users/me",
            "GET",
            {"Authorization": f"Bearer {SECRETS['APIFY_TOKEN']}"},
            {"data": {"id": "u1", "username": "jana", "email": PERSONAL}},
        )
    ],
    "gmail": [
        (
            "/token",
            "POST",
            {},
            {
                "access_token": ACCESS_TOKEN,
                "expires_in": 3599,
                "scope": "https://www.googleapis.com/auth/gmail.readonly "
                "https://www.googleapis.com/auth/gmail.compose",
            },
        ),
        (
            "/gmail/v1/users/me/profile",
            "GET",
            {"Authorization": f"Bearer {ACCESS_TOKEN}"},
            {"emailAddress": PERSONAL, "messagesTotal": 12, "historyId": "1"},
        ),
    ],
}
MISSING = {"gemini": "GEMINI_API_KEY", "apify": "APIFY_TOKEN", "gmail": "GMAIL_REFRESH_TOKEN"}


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer):  # type: ignore[no-untyped-def]
    """The health function over embedded stores, every vendor pointed at the fake server."""
    (tmp_path / "autoapply.yaml").write_text(CONFIG % 0)
    monkeypatch.setenv("AUTOAPPLY_CONFIG", str(tmp_path / "autoapply.yaml"))
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    base = httpserver.url_for("/").rstrip("/")
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", base)
    monkeypatch.setenv("AUTOAPPLY_APIFY_API_URL", base)
    monkeypatch.setenv("AUTOAPPLY_GMAIL_API_URL", base)
    monkeypatch.setenv("AUTOAPPLY_OAUTH_TOKEN_URL", f"{base}/token")
    reset_shared_runtime()
    health.clear_cache()
    yield function_client("health", "health_check", "http")
    reset_shared_runtime()
    health.clear_cache()


def serve(httpserver: HTTPServer, service: str, scenario: str = "healthy") -> None:
    """Register the fake vendor endpoints of ``service`` for one scenario."""
    for path, method, headers, answer in ROUTES[service]:
        expected = httpserver.expect_request(path, method=method, headers=headers)
        if scenario == "failing":
            expected.respond_with_json({"error": {"code": 503, "status": "UNAVAILABLE"}}, 503)
        elif scenario == "slow":

            def slow(_: Request, answer: dict[str, Any] = answer) -> Response:
                time.sleep(0.3)
                return Response(__import__("json").dumps(answer), content_type="application/json")

            expected.respond_with_handler(slow)
        else:
            expected.respond_with_json(answer)


def assert_nothing_secret(text: str) -> None:
    for value in [*SECRETS.values(), ACCESS_TOKEN, PERSONAL]:
        assert value not in text


def get(client, path: str) -> tuple[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert_nothing_secret(response.get_data(as_text=True))
    return response.status_code, response.get_json()


@pytest.mark.parametrize("service", ["gemini", "apify", "gmail"])
@pytest.mark.parametrize(
    ("scenario", "code", "status"),
    [("healthy", 200, "ok"), ("slow", 200, "degraded"), ("failing", 503, "down")],
)
def test_external_integration(
    client, httpserver: HTTPServer, service: str, scenario: str, code: int, status: str
) -> None:  # type: ignore[no-untyped-def]
    serve(httpserver, service, scenario)
    got, body = get(client, f"/api/health/external/{service}")
    assert (got, body["status"]) == (code, status)
    assert body["service"] == service and body["enabled"] is True
    assert body["breaker"] == "closed" and body["checked_at"]
    assert isinstance(body["latency_ms"], float)
    if scenario == "slow":
        assert body["latency_ms"] >= 150
    if scenario == "failing":
        assert body["error"]["type"] == "RetryableError" and "HTTP 503" in body["error"]["message"]
        assert body["last_error"] and body["last_success"] is None
    else:
        assert body["last_success"] and "error" not in body
    # one cheap call (two for gmail: the token refresh first, which fails alone when down)
    assert len(httpserver.log) == (1 if scenario == "failing" else len(ROUTES[service]))


@pytest.mark.parametrize("service", ["gemini", "apify", "gmail"])
def test_misconfigured_integration(
    client, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, service: str
) -> None:  # type: ignore[no-untyped-def]
    serve(httpserver, service)
    monkeypatch.delenv(MISSING[service])
    got, body = get(client, f"/api/health/external/{service}")
    assert (got, body["status"]) == (503, "down")
    secret_name = MISSING[service].lower().replace("_", "-")
    assert body["error"] == {"type": "ConfigError", "message": f"secret {secret_name} is not set"}
    assert httpserver.log == []  # nothing was sent without the credential
    got, body = get(client, "/api/health/internal/security")
    assert got == 503 and secret_name in body["error"]["message"]


def test_wrong_credential_is_down_without_echoing_it(client, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request(f"/v1beta/models/{MODEL}").respond_with_json(
        {"error": {"code": 400, "message": f"API key not valid: {SECRETS['GEMINI_API_KEY']}"}},
        status=403,
    )
    got, body = get(client, "/api/health/external/gemini")
    assert (got, body["status"], body["error"]["type"]) == (503, "down", "AuthError")


def test_unreachable_service_times_out_as_down(
    client, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AUTOAPPLY_APIFY_API_URL", "http://127.0.0.1:9")  # discard port: refused
    reset_shared_runtime()  # settings are read when the runtime is built
    got, body = get(client, "/api/health/external/apify")
    assert (got, body["status"]) == (503, "down")
    assert "unreachable" in body["error"]["message"]


def test_open_breaker_reports_degraded(client, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    serve(httpserver, "gemini")
    rt = shared_runtime()
    failed_at = iso(rt.clock.now())
    rt.store.put(BREAKERS, "gemini", {"state": "open", "open_until": failed_at,
                                      "last_error": failed_at})  # fmt: skip
    got, body = get(client, "/api/health/external/gemini")
    assert (got, body["status"], body["breaker"]) == (200, "degraded", "open")
    assert body["last_error"] == failed_at and body["last_success"] > failed_at


def test_internal_integrations(client) -> None:  # type: ignore[no-untyped-def]
    for name in ("database", "document_generator", "security"):
        got, body = get(client, f"/api/health/internal/{name}")
        assert (got, body["status"], body["breaker"]) == (200, "ok", None), body
    _, body = get(client, "/api/health/internal/security")
    assert body["details"]["secrets"] == {
        "apify-token": "present",
        "apify-webhook-secret": "present",
        "gemini-api-key": "present",
        "gmail-client-id": "present",
        "gmail-client-secret": "present",
        "gmail-refresh-token": "present",
    }


def test_integrations_overall(client, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    for service in ("gemini", "apify", "gmail"):
        serve(httpserver, service)
    got, body = get(client, "/api/health/integrations")
    assert (got, body["status"]) == (200, "ok")
    assert set(body["integrations"]) == {
        "apify", "gemini", "gmail", "storage", "database", "document_generator", "security",
    }  # fmt: skip
    assert all(e["status"] == "ok" for e in body["integrations"].values())


def test_one_failing_integration_makes_the_whole_down(client, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    serve(httpserver, "gemini")
    serve(httpserver, "apify", "failing")
    serve(httpserver, "gmail", "slow")
    got, body = get(client, "/api/health/integrations")
    assert (got, body["status"]) == (503, "down")
    statuses = {k: v["status"] for k, v in body["integrations"].items()}
    assert statuses["apify"] == "down" and statuses["gmail"] == "degraded"


def test_unused_integration_is_not_called(
    client, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "autoapply.yaml").write_text("data_dir: data\nhealth: {cache_seconds: 0}\n")
    monkeypatch.delenv("GEMINI_API_KEY")
    monkeypatch.delenv("APIFY_TOKEN")
    reset_shared_runtime()
    got, body = get(client, "/api/health/integrations")
    assert (got, body["status"]) == (200, "ok")
    assert body["integrations"]["gemini"]["enabled"] is False
    assert body["integrations"]["gmail"]["enabled"] is False
    assert httpserver.log == []


def test_results_are_cached(client, httpserver: HTTPServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "autoapply.yaml").write_text(CONFIG % 30)
    reset_shared_runtime()
    serve(httpserver, "apify")
    first = get(client, "/api/health/external/apify")
    second = get(client, "/api/health/external/apify")
    assert first == second and len(httpserver.log) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/health/external/nope",
        "/api/health/internal/gemini",
        "/api/health/elsewhere/gemini",
        "/api/health",
        "/nope",
    ],
)
def test_unknown_routes_are_404(client, path: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get(path).status_code == 404


def test_document_generator_needs_its_templates(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from common.errors import ConfigError
    from common.services.health_checks import document_generator_check

    rt = shared_runtime()
    empty = tmp_path / "templates"
    empty.mkdir()
    with pytest.raises(ConfigError, match="no templates"):
        document_generator_check(rt, templates=empty)()
    (empty / "resume.typ").write_text("= Resume")
    assert document_generator_check(rt, templates=empty)() == {"templates": 1}
    assert document_generator_check(rt, templates=tmp_path / "absent")() == {"templates": 0}


def test_revoked_gmail_token_is_reported_with_the_fix(client, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/token", method="POST").respond_with_json(
        {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, 400
    )
    code, body = get(client, "/api/health/external/gmail")
    assert (code, body["status"]) == (503, "down")
    assert body["error"]["type"] == "AuthError"
    message = body["error"]["message"]
    assert "invalid_grant" in message and "Testing" in message and "autoapply auth gmail" in message


def test_gmail_entry_shows_what_the_send_path_saw(client, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    from common.runtime import shared_runtime
    from common.services.outreach import GMAIL_STATE
    from common.store.collections import LEDGER

    serve(httpserver, "gmail")
    rt = shared_runtime()
    rt.store.put(
        LEDGER,
        GMAIL_STATE,
        {"status": "auth_failed", "error": "invalid_grant", "at": "2026-11-26T09:00:00.000000Z"},
    )
    code, body = get(client, "/api/health/external/gmail")
    assert code == 200
    assert body["details"] == {
        "scopes": ["gmail.compose", "gmail.readonly"],
        "send_auth": "auth_failed",
        "send_auth_at": "2026-11-26T09:00:00.000000Z",
    }


def test_gmail_token_lacking_a_scope_is_reported(client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A token from the old helper (send + compose) cannot search the mailbox: reconciling
    a lost send would fail with 403, so health says so, with the fix."""
    from tests.helpers.fake_gmail import FakeGmail

    with FakeGmail() as gmail:
        gmail.grant(SECRETS["GMAIL_REFRESH_TOKEN"], ["gmail.send", "gmail.compose"])
        monkeypatch.setenv("AUTOAPPLY_GMAIL_API_URL", gmail.url)
        monkeypatch.setenv("AUTOAPPLY_OAUTH_TOKEN_URL", f"{gmail.url}/token")
        reset_shared_runtime()
        code, body = get(client, "/api/health/external/gmail")
        assert (code, body["status"]) == (503, "down")
        assert body["error"]["type"] == "AuthError"
        message = body["error"]["message"]
        assert "gmail.readonly" in message and "autoapply auth gmail" in message
        gmail.grant(SECRETS["GMAIL_REFRESH_TOKEN"], ["gmail.compose", "gmail.readonly"])
        health.clear_cache()
        code, body = get(client, "/api/health/external/gmail")
        assert (code, body["status"]) == (200, "ok")
        assert body["details"]["scopes"] == ["gmail.compose", "gmail.readonly"]


def test_retired_gemini_model_is_a_configuration_error(  # type: ignore[no-untyped-def]
    client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers.fake_gemini import FakeGemini

    with FakeGemini(api_key=SECRETS["GEMINI_API_KEY"]) as fake:
        monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
        code, body = get(client, "/api/health/external/gemini")
        assert (code, body["status"]) == (200, "ok")
        assert body["details"]["model"] == MODEL
        (tmp_path / "autoapply.yaml").write_text(CONFIG % 0 + "gemini: {model: gemini-2.5-flash}\n")
        reset_shared_runtime()
        health.clear_cache()
        code, body = get(client, "/api/health/external/gemini")
    assert (code, body["status"]) == (503, "down")
    assert body["error"]["type"] == "ConfigError"
    message = body["error"]["message"]
    assert "gemini.model" in message and "gemini-2.5-flash" in message and MODEL in message
