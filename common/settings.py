"""Settings: ``autoapply.yaml`` plus environment variables, validated once, failing fast.

Precedence: environment variables over the file over the defaults. A bad value raises
:class:`common.errors.ConfigError` naming the field and what was expected.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from common.domain.preferences import Filters, Preferences, Scoring, Search, Sending
from common.errors import ConfigError

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
    """The Gemini model, pinned."""

    model: str = "gemini-2.5-flash"
    api_version: str = "v1beta"
    requests_per_minute: int = Field(default=10, ge=1)
    requests_per_day: int = Field(default=250, ge=1)


class Apify(_Strict):
    """Scraper runs on Apify: how runs are started, checked and ingested."""

    api_url: str | None = Field(
        default=None, description="Apify API base URL (default: https://api.apify.com)"
    )
    webhook_url: str | None = Field(
        default=None,
        description="public URL of the scrape function's POST /webhooks/apify, given to each "
        "run started by POST /runs as its ad-hoc webhook (default: the URL POST /runs was "
        "called at, with the path /webhooks/apify)",
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
}


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
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
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
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
        raise ConfigError(f"{source}: '{where}': {err['msg']}{shown}", field=where) from exc
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
