"""The health check of each integration, built from the settings and the secrets.

Every check is cheap and spends no send or generation quota:

=====================  ===========================================================  ========
integration            check                                                        breaker
=====================  ===========================================================  ========
external/gemini        ``GET {base}/{version}/models/{model}`` (a model lookup; a   gemini
                       retired model is a ConfigError naming ``gemini.model``)
external/apify         ``GET {api}/v2/users/me``                                    apify
external/gmail         OAuth refresh (its ``scope`` must cover every Gmail method     gmail
                       autoapply calls), then ``GET /gmail/v1/users/me/profile``
external/storage       a listing of ``health/`` in the object store                 storage
internal/database      a read of one document                                       -
internal/document_     python-docx and typst installed, templates present           -
generator
internal/security      each secret the enabled integrations need is accessible      -
=====================  ===========================================================  ========

A check is a callable returning safe details (counts, names; never a value) or raising an
autoapply error. Base URLs are overridable for tests: ``GOOGLE_GEMINI_BASE_URL`` (as the
google-genai SDK honours it), ``apify.api_url`` (as the scrape function uses it), and
``health.gmail_api_url`` / ``health.oauth_token_url``.
"""

from __future__ import annotations

import importlib.util
import os
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from common.adapters.http_probe import request_json
from common.errors import AuthError, ConfigError, NotFoundError, PermanentError
from common.runtime import Runtime
from common.settings import Gemini

GEMINI_BASE_URL = "https://generativelanguage.googleapis.com"
APIFY_API_URL = "https://api.apify.com"
GMAIL_SECRETS = ("gmail-client-id", "gmail-client-secret", "gmail-refresh-token")
TEMPLATES = Path(__file__).resolve().parents[1] / "resources" / "templates"


class Check(Protocol):
    """One health probe: safe details on success, an autoapply error on failure."""

    def __call__(self) -> Mapping[str, Any] | None: ...


@dataclass(frozen=True)
class Integration:
    """A named integration and how to check it."""

    name: str
    kind: str  # "external" | "internal"
    enabled: bool
    check: Check
    breaker: bool  # whether calls to it go through a circuit breaker


def _secret(rt: Runtime, name: str) -> str:
    value = rt.secrets.get(name)
    if not value:
        raise ConfigError(f"secret {name} is not set", field=name)
    return value


def gemini_enabled(rt: Runtime) -> bool:
    """Gemini is used when chosen, or on ``auto`` when its key is set."""
    chosen = rt.settings.backends.analyzer
    return chosen == "gemini" or (chosen == "auto" and bool(rt.secrets.get("gemini-api-key")))


def apify_enabled(rt: Runtime) -> bool:
    """Apify is used when searches are configured or its token is set."""
    return bool(rt.settings.searches) or bool(rt.secrets.get("apify-token"))


def gmail_enabled(rt: Runtime) -> bool:
    """Gmail is used when it is the mailer."""
    return rt.settings.backends.mailer == "gmail"


def gemini_model(rt: Runtime) -> Mapping[str, Any]:
    """Look up the configured model (``GET {base}/{version}/models/{model}``: no tokens, no
    generation quota). ConfigError naming ``gemini.model`` when the API does not serve it
    (retired or misspelt) or it cannot generate content. For health and ``autoapply doctor``.
    """
    key = _secret(rt, "gemini-api-key")
    cfg = rt.settings.gemini
    base = (os.environ.get("GOOGLE_GEMINI_BASE_URL") or GEMINI_BASE_URL).rstrip("/")
    fix = f"set gemini.model to a current model, e.g. {Gemini().model!r}"
    try:
        found = request_json(
            f"{base}/{cfg.api_version}/models/{cfg.model}",
            what="gemini model lookup",
            timeout=rt.settings.health.timeout_seconds,
            headers={"x-goog-api-key": key},
        )
    except NotFoundError as exc:
        raise ConfigError(
            f"gemini.model {cfg.model!r} is not served by the Gemini API {cfg.api_version} "
            f"(retired or misspelt): {fix} ({exc.message})",
            field="gemini.model",
        ) from exc
    methods = found.get("supportedGenerationMethods") if isinstance(found, dict) else None
    if methods is not None and "generateContent" not in methods:
        raise ConfigError(
            f"gemini.model {cfg.model!r} cannot generate content: {fix}", field="gemini.model"
        )
    return {"model": cfg.model}


def gemini_check(rt: Runtime) -> Check:
    """The configured model exists and generates content (:func:`gemini_model`)."""
    return lambda: gemini_model(rt)


def apify_check(rt: Runtime) -> Check:
    """The Apify user endpoint (costs no compute units)."""

    def check() -> Mapping[str, Any]:
        token = _secret(rt, "apify-token")
        base = (rt.settings.apify.api_url or APIFY_API_URL).rstrip("/")
        request_json(
            f"{base}/v2/users/me",
            what="apify user",
            timeout=rt.settings.health.timeout_seconds,
            headers={"Authorization": f"Bearer {token}"},
        )
        return {}

    return check


def gmail_access_token(rt: Runtime) -> dict[str, Any]:
    """Refresh the Gmail OAuth credential (no scopes asked, as the mailer does): the token
    endpoint's answer, whose ``scope`` lists what the token holds. AuthError on
    ``invalid_grant`` with the cause and the fix."""
    client_id, client_secret, refresh = (_secret(rt, name) for name in GMAIL_SECRETS)
    cfg = rt.settings.health
    try:
        token = request_json(
            cfg.oauth_token_url,
            what="gmail credential refresh",
            timeout=cfg.timeout_seconds,
            form={
                "grant_type": "refresh_token",
                "client_id": client_id,
                "client_secret": client_secret,
                "refresh_token": refresh,
            },
        )
    except PermanentError as exc:  # Google answers invalid_grant with HTTP 400
        raise AuthError(
            f"{exc.message}: the refresh token was refused (invalid_grant): it was revoked, "
            "or it expired after 7 days because the OAuth app is in Testing status. Run "
            "`autoapply auth gmail` and store the new gmail-refresh-token"
        ) from exc
    if not isinstance(token, dict) or not token.get("access_token"):
        raise ConfigError("gmail credential refresh: no access token in the answer")
    return token


def gmail_scope_problem(granted: Iterable[str]) -> str | None:
    """Why a token holding ``granted`` cannot do what autoapply does (a missing scope, named
    with the fix), or None. For health and ``autoapply doctor``."""
    from common.adapters.gmail_scopes import scope_problem

    return scope_problem(granted)


def gmail_check(rt: Runtime) -> Check:
    """Refresh the OAuth credential, check its scopes, then read the mailbox profile (5 quota
    units, no send)."""

    def check() -> Mapping[str, Any]:
        from common.adapters.gmail_scopes import short

        cfg = rt.settings.health
        token = gmail_access_token(rt)
        details: dict[str, Any] = {}
        if token.get("scope"):  # Google always says; another endpoint may not
            granted = str(token["scope"]).split()
            problem = gmail_scope_problem(granted)
            if problem:
                raise AuthError(problem, field="gmail-refresh-token")
            details["scopes"] = sorted(short(s) for s in granted)
        request_json(
            f"{cfg.gmail_api_url.rstrip('/')}/gmail/v1/users/me/profile",
            what="gmail profile",
            timeout=cfg.timeout_seconds,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        from common.services.outreach import gmail_state

        # what the send path saw last (e.g. invalid_grant on a send), never the address
        last = gmail_state(rt.store)
        return {**details, "send_auth": last.get("status", "ok"), "send_auth_at": last.get("at")}

    return check


def gmail_scopes_check(rt: Runtime) -> Check:
    """The refresh token grants every scope the mailer uses: a token made for fewer scopes
    refreshes fine and fails only at the first draft or send (used by ``autoapply doctor``)."""

    def check() -> Mapping[str, Any]:
        from common.adapters.gmail_scopes import SCOPES, short

        problem = gmail_scope_problem(str(gmail_access_token(rt).get("scope") or "").split())
        if problem:
            raise AuthError(problem, field="gmail-refresh-token")
        return {"scopes": sorted(short(scope) for scope in SCOPES)}

    return check


def apify_actors_check(rt: Runtime) -> Check:
    """Every configured search's actor exists and this token may use it (``GET /v2/actors/
    {user~name}``, no compute units): a run of any other actor is refused at the webhook."""

    def check() -> Mapping[str, Any]:
        token = _secret(rt, "apify-token")
        base = (rt.settings.apify.api_url or APIFY_API_URL).rstrip("/")
        missing = []
        for search in rt.settings.searches:
            name = urllib.parse.quote(search.actor.strip().replace("/", "~"), safe="~")
            try:
                request_json(
                    f"{base}/v2/actors/{name}",
                    what=f"apify actor {search.actor}",
                    timeout=rt.settings.health.timeout_seconds,
                    headers={"Authorization": f"Bearer {token}"},
                )
            except NotFoundError:
                missing.append(search.actor)
        if missing:
            raise NotFoundError(
                f"Apify actor(s) not found or not usable with this token: {', '.join(missing)} "
                "(check searches[].actor)",
                field="searches",
            )
        return {"actors": len(rt.settings.searches)}

    return check


def storage_check(rt: Runtime) -> Check:
    def check() -> Mapping[str, Any]:
        return {"listed": len(rt.objects.list("health/"))}

    return check


def database_check(rt: Runtime) -> Check:
    def check() -> Mapping[str, Any]:
        rt.store.get("health", "probe")
        return {"backend": rt.settings.backends.store}

    return check


def document_generator_check(rt: Runtime, templates: Path = TEMPLATES) -> Check:
    """The document libraries are installed (found, not imported) and templates present."""

    def check() -> Mapping[str, Any]:
        missing = [m for m in ("docx", "typst") if importlib.util.find_spec(m) is None]
        if missing:
            raise ConfigError(f"document generator: {', '.join(missing)} not installed")
        found = sorted(p.name for p in templates.iterdir()) if templates.is_dir() else []
        if templates.is_dir() and not found:
            raise ConfigError(f"document generator: no templates in {templates.name}/")
        return {"templates": len(found)}

    return check


def required_secrets(rt: Runtime) -> list[str]:
    """The secrets the enabled integrations need."""
    names: list[str] = []
    if apify_enabled(rt):
        names += ["apify-token", "apify-webhook-secret"]
    if gemini_enabled(rt):
        names.append("gemini-api-key")
    if gmail_enabled(rt):
        names += list(GMAIL_SECRETS)
    return names


def security_check(rt: Runtime) -> Check:
    """Each needed secret is present and readable; only names and presence are reported."""

    def check() -> Mapping[str, Any]:
        present = {name: bool(rt.secrets.get(name)) for name in required_secrets(rt)}
        missing = [name for name, ok in present.items() if not ok]
        if missing:
            raise ConfigError(f"secrets not set: {', '.join(missing)}", field=missing[0])
        return {"secrets": {name: "present" for name in present}}

    return check


_BUILDERS: dict[str, tuple[str, Callable[[Runtime], bool], Callable[[Runtime], Check], bool]] = {
    "apify": ("external", apify_enabled, apify_check, True),
    "gemini": ("external", gemini_enabled, gemini_check, True),
    "gmail": ("external", gmail_enabled, gmail_check, True),
    "storage": ("external", lambda rt: True, storage_check, True),
    "database": ("internal", lambda rt: True, database_check, False),
    "document_generator": ("internal", lambda rt: True, document_generator_check, False),
    "security": ("internal", lambda rt: True, security_check, False),
}


def integration(rt: Runtime, name: str) -> Integration:
    """The integration ``name`` (a KeyError for an unknown one)."""
    kind, enabled, build, breaker = _BUILDERS[name]
    return Integration(name, kind, enabled(rt), build(rt), breaker)


def names(kind: str | None = None) -> list[str]:
    """Integration names, optionally of one kind."""
    return [n for n, spec in _BUILDERS.items() if kind is None or spec[0] == kind]
