"""Settings: ``autoapply.yaml`` plus environment variables, validated once, failing fast.

Precedence: environment variables over the file over the defaults. A bad value raises
:class:`common.errors.ConfigError` naming the field and what was expected.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from common.domain.preferences import Filters, Preferences, Scoring, Search, Sending, Targets
from common.errors import ConfigError, ValidationError, first_problem
from common.jsonsafe import load_yaml

CONFIG_FILE = "autoapply.yaml"
DEFAULT_DATA_DIR = ".autoapply"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Backends(_Strict):
    """Which adapter serves each port. The defaults need no account."""

    store: Literal["sqlite", "firestore"] = "sqlite"
    objects: Literal["local", "gcs"] = "local"
    bus: Literal["local", "pubsub"] = "local"
    secrets: Literal["env", "secretmanager"] = "env"
    mailer: Literal["outbox", "gmail"] = "outbox"
    analyzer: Literal["auto", "local", "gemini"] = Field(
        default="auto", description="auto: Gemini when GEMINI_API_KEY is set, else local"
    )


class Gcp(_Strict):
    """Google Cloud resources (used only by the cloud adapters)."""

    project: str | None = None
    firestore_database: str = "(default)"
    bucket: str | None = None
    topic_prefix: str = ""


class Gemini(_Strict):
    """The Gemini model, pinned, and what it may cost. The API key is the secret
    ``gemini-api-key`` (env ``GEMINI_API_KEY``); the endpoint is the SDK's default, which
    its own ``GOOGLE_GEMINI_BASE_URL`` variable can override.

    The model is pinned to the current stable Flash model (see docs/analysis.md, "Which
    model": checked against Google's model list and deprecation schedule). Thinking is set
    explicitly, because thought tokens count against ``max_output_tokens``: Gemini 3 models
    take ``thinking_level``, Gemini 2.x models ``thinking_budget``."""

    model: str = Field(default="gemini-3.8-flash", description="model id, pinned")
    api_version: str = Field(default="v1beta", description="REST API version, pinned")
    requests_per_minute: int = Field(
        default=10, ge=1, description="Gemini calls per minute, shared by every instance"
    )
    requests_per_day: int = Field(
        default=250, ge=1, description="Gemini calls per UTC day, shared by every instance"
    )
    max_prompt_tokens: int = Field(
        default=2500, ge=500, le=100_000, description="prompt budget; the posting is cut to fit"
    )
    temperature: float | None = Field(
        default=None,
        ge=0,
        le=2,
        description="sampling temperature; unset: the model's default (Google deprecates "
        "sampling parameters on Gemini 3 models and advises against lowering them)",
    )
    max_output_tokens: int = Field(
        default=2048, ge=128, le=65536, description="answer and thoughts together"
    )
    thinking_level: Literal["minimal", "low", "medium", "high"] = Field(
        default="low",
        description="Gemini 3 models: how much the model thinks (gemini-3.8-flash: low at least)",
    )
    thinking_budget: int = Field(
        default=0,
        ge=-1,
        le=32768,
        description="Gemini 2.x models: thought tokens (0: off on Flash; -1: the model decides)",
    )
    timeout_s: float = Field(default=30, gt=0, le=300, description="HTTP timeout per call")

    @property
    def thinks_by_budget(self) -> bool:
        """Gemini 2.x models take a token budget; Gemini 3 and later a level (not both)."""
        return self.model.startswith(("gemini-2.", "gemini-1."))


class Breaker(_Strict):
    """A circuit breaker per external service, its state shared by every instance."""

    window_seconds: int = Field(
        default=60, ge=1, description="sliding window over which the failure rate is measured"
    )
    min_calls: int = Field(
        default=5, ge=1, description="calls in the window before the breaker may open"
    )
    failure_rate: float = Field(
        default=0.5, gt=0, le=1, description="share of failed calls in the window that opens it"
    )
    open_seconds: int = Field(
        default=60, ge=1, description="how long it stays open before a trial call"
    )
    trial_timeout_seconds: int = Field(
        default=120, ge=1, description="a half-open trial not reported within this is lost"
    )


class Retry(_Strict):
    """The one retry policy (tenacity), for calls whose SDK retries nothing itself."""

    max_attempts: int = Field(default=4, ge=1, description="attempts per call, first included")
    initial_wait: float = Field(default=1.0, gt=0, description="first backoff in seconds")
    max_wait: float = Field(default=30.0, gt=0, description="largest single backoff in seconds")
    max_retry_after: float = Field(
        default=60.0,
        ge=0,
        description="a Retry-After/RetryInfo longer than this is not waited for in-process: "
        "the error propagates and Pub/Sub redelivers later",
    )


class Resilience(_Strict):
    """Circuit breakers, retries, the audit trail and dead letters."""

    breaker: Breaker = Field(default_factory=Breaker)
    retry: Retry = Field(default_factory=Retry)
    audit: bool = Field(default=True, description="write an audit record per external call")
    audit_ttl_days: int = Field(
        default=30, ge=1, description="audit records expire (Firestore TTL on expires_at)"
    )
    max_event_age_seconds: int = Field(
        default=86400,
        ge=60,
        description="a Pub/Sub event older than this is dropped (kept as a dead letter) "
        "instead of being retried again",
    )


class Health(_Strict):
    """The health endpoints: cheap checks, cached briefly."""

    cache_seconds: float = Field(
        default=30, ge=0, description="how long a check result is reused in-process"
    )
    timeout_seconds: float = Field(default=5, gt=0, description="timeout of one check")
    slow_ms: float = Field(
        default=2000, gt=0, description="a check slower than this reports 'degraded'"
    )
    gmail_api_url: str = Field(
        default="https://gmail.googleapis.com", description="Gmail REST base URL (tests)"
    )
    oauth_token_url: str = Field(
        default="https://oauth2.googleapis.com/token",
        description="OAuth token endpoint used to refresh the Gmail credential",
    )


class Apify(_Strict):
    """Scraper runs on Apify: how runs are started, checked and ingested."""

    api_url: str | None = Field(
        default=None, description="Apify API base URL (default: https://api.apify.com)"
    )
    webhook_url: str | None = Field(
        default=None,
        description="public URL of the scrape function's POST /webhooks/apify, given to each "
        "run started by POST /runs as its ad-hoc webhook with the secret header (required by "
        "POST /runs; Terraform sets it; never derived from a request)",
    )
    actor_ids: list[str] = Field(
        default_factory=list,
        description="opaque Apify actor ids (a run's actId) also accepted by the webhook; the "
        "searches' actor names are resolved to ids through the API once per instance",
    )
    ingest_partial: bool = Field(
        default=False,
        description="also ingest the dataset of a FAILED, ABORTED or TIMED_OUT run",
    )
    max_items: int | None = Field(
        default=200, ge=1, description="maxItems of each started run (caps pay-per-result cost)"
    )
    max_total_charge_usd: float | None = Field(
        default=2.0, gt=0, description="maxTotalChargeUsd of each run (pay-per-event actors)"
    )
    run_timeout_secs: int | None = Field(default=1800, ge=60, description="each run's timeout")
    memory_mbytes: int | None = Field(default=None, ge=128, description="each run's memory")
    page_size: int = Field(default=1000, ge=1, le=10000, description="dataset items per read")
    time_budget_seconds: float = Field(
        default=20,
        ge=0,
        description="reading a dataset in one request stops after this long; the rest "
        "continues through a message to topic ingest-continue",
    )
    max_body_bytes: int = Field(default=256 * 1024, ge=1024, description="webhook body limit")

    @field_validator("webhook_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^/\s?#]+(/\S*)?", value):
            raise ValueError("expected an absolute http(s) URL")
        return value


class GoogleCallers(_Strict):
    """Who may call the scrape function's Google-only routes (``POST /runs`` from Cloud
    Scheduler, ``POST /tasks/...`` from Pub/Sub push). With an audience set, they need a
    Google-signed OIDC token for it naming one of ``service_accounts``; without one (on a
    laptop), they need the webhook secret header instead."""

    audience: str | None = Field(default=None, description="the tokens' audience (aud)")
    service_accounts: list[str] = Field(
        default_factory=list, description="service account emails allowed to call"
    )
    certs_url: str = Field(
        default="https://www.googleapis.com/oauth2/v1/certs",
        description="where Google's token signing certificates are (tests point it elsewhere)",
    )

    @field_validator("service_accounts", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return (
            [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else value
        )


class DocumentSettings(_Strict):
    """How the resume and cover letter are written."""

    writer: Literal["auto", "template", "gemini"] = Field(
        default="auto",
        description="who writes the letter body and resume summary: gemini (one model call "
        "per application, in the shared budget; every sentence is checked against the "
        "profile, and the template is used when the budget, the breaker or the check says "
        "no), template (no model), or auto: Gemini in a cloud deployment (Firestore store) "
        "with a Gemini key, the template otherwise",
    )

    @model_validator(mode="before")
    @classmethod
    def _rephrase(cls, value: object) -> object:
        """``rephrase: true`` (the earlier setting) means ``writer: gemini``."""
        if isinstance(value, dict) and "rephrase" in value:
            value = dict(value)
            rephrase = value.pop("rephrase")
            if not isinstance(rephrase, bool):
                raise ConfigError(
                    f"documents.rephrase: expected true or false, got {rephrase!r} "
                    "(it is the earlier name of documents.writer: gemini | template)",
                    field="documents.rephrase",
                )
            value.setdefault("writer", "gemini" if rephrase else "template")
        return value


class DigestSettings(_Strict):
    """The daily digest to your own mailbox: every new match with its apply link."""

    enabled: bool = Field(default=True, description="send (or write) the digest")
    max_items: int = Field(default=200, ge=1, le=1000, description="matches listed in one digest")
    max_attachment_mb: float = Field(
        default=15,
        ge=0,
        le=20,
        description="documents attached up to this size in all (Gmail takes 25 MB once encoded); "
        "the others are named by their storage location",
    )


class Settings(_Strict):
    """Everything configurable, from one place."""

    profile: str | None = Field(default=None, description="path to the JSON Resume file")
    data_dir: str = DEFAULT_DATA_DIR
    backends: Backends = Field(default_factory=Backends)
    gcp: Gcp = Field(default_factory=Gcp)
    gemini: Gemini = Field(default_factory=Gemini)
    apify: Apify = Field(default_factory=Apify)
    searches: list[Search] = Field(default_factory=list)
    filters: Filters = Field(default_factory=Filters)
    scoring: Scoring = Field(default_factory=Scoring)
    sending: Sending = Field(default_factory=Sending)
    targets: Targets = Field(default_factory=Targets)
    resilience: Resilience = Field(default_factory=Resilience)
    health: Health = Field(default_factory=Health)
    callers: GoogleCallers = Field(default_factory=GoogleCallers)
    documents: DocumentSettings = Field(default_factory=DocumentSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)

    #: where the settings came from (a file path or "defaults"), for messages
    source: str = Field(default="defaults", exclude=True)
    #: folder relative paths in the file are resolved against
    base_dir: str = Field(default=".", exclude=True)

    @property
    def preferences(self) -> Preferences:
        """The candidate's preferences part."""
        return Preferences(
            searches=self.searches,
            filters=self.filters,
            scoring=self.scoring,
            sending=self.sending,
            targets=self.targets,
        )

    def path(self, value: str) -> Path:
        """Resolve a path from the settings against the config file's folder."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else Path(self.base_dir) / p

    @property
    def data_path(self) -> Path:
        """The folder for the embedded store, the outbox and local documents."""
        return self.path(self.data_dir).resolve()


# Environment variable -> dotted settings field. Values are strings, validated like the file.
ENV_FIELDS: dict[str, str] = {
    "AUTOAPPLY_OIDC_AUDIENCE": "callers.audience",
    "AUTOAPPLY_OIDC_SERVICE_ACCOUNTS": "callers.service_accounts",
    "AUTOAPPLY_PROFILE": "profile",
    "AUTOAPPLY_DATA_DIR": "data_dir",
    "AUTOAPPLY_STORE": "backends.store",
    "AUTOAPPLY_OBJECTS": "backends.objects",
    "AUTOAPPLY_BUS": "backends.bus",
    "AUTOAPPLY_SECRETS": "backends.secrets",
    "AUTOAPPLY_MAILER": "backends.mailer",
    "AUTOAPPLY_ANALYZER": "backends.analyzer",
    "AUTOAPPLY_SEND_MODE": "sending.mode",
    "GOOGLE_CLOUD_PROJECT": "gcp.project",
    "AUTOAPPLY_FIRESTORE_DATABASE": "gcp.firestore_database",
    "AUTOAPPLY_BUCKET": "gcp.bucket",
    "AUTOAPPLY_TOPIC_PREFIX": "gcp.topic_prefix",
    "AUTOAPPLY_GEMINI_MODEL": "gemini.model",
    "AUTOAPPLY_MAX_EVENT_AGE_SECONDS": "resilience.max_event_age_seconds",
    "AUTOAPPLY_HEALTH_CACHE_SECONDS": "health.cache_seconds",
    "AUTOAPPLY_GMAIL_API_URL": "health.gmail_api_url",
    "AUTOAPPLY_APIFY_API_URL": "apify.api_url",
    "AUTOAPPLY_APIFY_WEBHOOK_URL": "apify.webhook_url",
    "AUTOAPPLY_OAUTH_TOKEN_URL": "health.oauth_token_url",
    "AUTOAPPLY_GEMINI_API_VERSION": "gemini.api_version",
}


def require_setting(value: str | None, field: str, env: str, needed_for: str) -> str:
    """``value``, or a ConfigError naming the field, its environment variable and the need."""
    if not value:
        raise ConfigError(
            f"{field} is not set: set {env} (or {field} in autoapply.yaml) for {needed_for}",
            field=field,
        )
    return value


def _set_dotted(target: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        node = target.get(part)
        if not isinstance(node, dict):
            node = {}
            target[part] = node
        target = node
    target[leaf] = value


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except ValidationError as exc:
        raise ConfigError(exc.message) from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    return raw


def build_settings(
    raw: Mapping[str, Any], *, source: str = "settings", base_dir: str = "."
) -> Settings:
    """Validate a settings mapping; the error names the field and what was expected."""
    import pydantic

    try:
        settings = Settings.model_validate(dict(raw))
    except pydantic.ValidationError as exc:
        where, msg, got = first_problem(exc)
        where = where or "(top level)"
        shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
        raise ConfigError(f"{source}: '{where}': {msg}{shown}", field=where) from exc
    settings.source = source
    settings.base_dir = base_dir
    return settings


def load_settings(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Load ``autoapply.yaml`` (``path``, ``$AUTOAPPLY_CONFIG`` or ./autoapply.yaml if present)
    and apply environment overrides. With no file, the embedded defaults apply."""
    env = os.environ if env is None else env
    chosen = path or env.get("AUTOAPPLY_CONFIG")
    raw: dict[str, Any] = {}
    source, base_dir = "defaults", "."
    if chosen:
        file = Path(chosen)
        if not file.is_file():
            raise ConfigError(
                f"config file {file} does not exist (from AUTOAPPLY_CONFIG or --config)"
            )
        raw, source, base_dir = _read_yaml(file), str(file), str(file.parent)
    elif Path(CONFIG_FILE).is_file():
        raw, source = _read_yaml(Path(CONFIG_FILE)), CONFIG_FILE
    overridden = [var for var in ENV_FIELDS if env.get(var)]
    for var in overridden:
        _set_dotted(raw, ENV_FIELDS[var], env[var])
    if overridden:
        source = f"{source} + environment ({', '.join(overridden)})"
    return build_settings(raw, source=source, base_dir=base_dir)
