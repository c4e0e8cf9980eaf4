"""Wiring: build the adapters the settings ask for. SDKs are imported only when chosen."""

from __future__ import annotations

import functools
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.clock import SystemClock
from common.errors import ConfigError, NotFoundError

# the settings, profile and guard (pydantic) load at the first call, not at import; the ports
# are annotations only (their dataclasses cost ~10 ms to build), loaded with the services
if TYPE_CHECKING:
    from common.adapters.local_processes import LocalProcesses
    from common.domain.candidate import Profile
    from common.ports import (
        Analyzer,
        Clock,
        DocumentStore,
        DocumentWriter,
        Mailer,
        MessageBus,
        ObjectStore,
        Secrets,
    )
    from common.resilience.guard import Guard
    from common.settings import Settings

PROFILE_KEY = "candidate/profile.json"


@dataclass
class Runtime:
    """The ports one process uses, built once per instance."""

    settings: Settings
    store: DocumentStore
    objects: ObjectStore
    bus: MessageBus
    secrets: Secrets
    clock: Clock = field(default_factory=SystemClock)
    _mailer: Mailer | None = None
    _analyzer: Analyzer | None = None
    _writer: DocumentWriter | bool | None = False  # False: not built yet; None: the template
    _profile: Profile | None = None
    _guard: Guard | None = None
    #: the live local processes (a local bus only): whose leases a dead process left
    processes: LocalProcesses | None = None

    @property
    def guard(self) -> Guard:
        """Circuit breakers + audit trail + retry policy around external calls (shared state
        in this runtime's store)."""
        if self._guard is None:
            from common.resilience.guard import Guard

            self._guard = Guard(self.store, self.clock, self.settings.resilience)
        return self._guard

    @property
    def mailer(self) -> Mailer:
        """The mailer, built on first use (Gmail needs secrets)."""
        if self._mailer is None:
            self._mailer = build_mailer(self.settings, self.secrets, self.guard)
        return self._mailer

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer of ``backends.analyzer`` (auto: Gemini when its key is set)."""
        if self._analyzer is None:
            self._analyzer = build_analyzer(self.settings, self.secrets, guard=self.guard)
        return self._analyzer

    @property
    def writer(self) -> DocumentWriter | None:
        """Gemini writing the letters (see ``documents.writer``); None: the template."""
        if self._writer is False:
            self._writer = build_writer(self)
        return self._writer  # type: ignore[return-value]

    def profile(self) -> Profile:
        """The candidate's JSON Resume: the configured file, else the object store's copy."""
        if self._profile is None:
            from common.domain.candidate import Profile

            if self.settings.profile:
                self._profile = Profile.load(self.settings.path(self.settings.profile))
            else:
                try:
                    data = self.objects.get(PROFILE_KEY)
                except NotFoundError as exc:
                    raise no_profile() from exc
                self._profile = Profile.parse_bytes(data, name=PROFILE_KEY)
        return self._profile


def no_profile() -> ConfigError:
    """The error when no profile is configured and none is in the object store."""
    return ConfigError(
        "no candidate profile: set 'profile' in autoapply.yaml to your JSON "
        f"Resume file, or upload it to the object store as {PROFILE_KEY}",
        field="profile",
    )


def build_store(settings: Settings) -> DocumentStore:
    """The document store of ``backends.store``."""
    if settings.backends.store == "firestore":
        from common.adapters.store_firestore import FirestoreStore

        return FirestoreStore(settings.gcp.project, settings.gcp.firestore_database)
    from common.adapters.store_sqlite import SqliteStore

    return SqliteStore(settings.data_path / "autoapply.sqlite3")


def build_objects(settings: Settings) -> ObjectStore:
    """The object store of ``backends.objects``."""
    if settings.backends.objects == "gcs":
        from common.adapters.objects_gcs import GcsObjectStore

        return GcsObjectStore(settings.gcp.bucket, settings.gcp.project)
    from common.adapters.objects_local import LocalObjectStore

    return LocalObjectStore(settings.data_path / "objects")


def build_bus(settings: Settings) -> MessageBus:
    """The message bus of ``backends.bus``."""
    if settings.backends.bus == "pubsub":
        from common.adapters.bus_pubsub import PubSubBus

        return PubSubBus(settings.gcp.project, settings.gcp.topic_prefix)
    from common.adapters.bus_local import LocalBus

    return LocalBus()


def build_secrets(settings: Settings) -> Secrets:
    """The secrets of ``backends.secrets``."""
    if settings.backends.secrets == "secretmanager":
        from common.adapters.secrets_gsm import SecretManagerSecrets

        return SecretManagerSecrets(
            settings.gcp.project, endpoint=os.environ.get("AUTOAPPLY_SECRETMANAGER_ENDPOINT")
        )
    from common.adapters.secrets_env import EnvSecrets

    return EnvSecrets(dotenv=Path(settings.base_dir) / ".env")


GEMINI_SECRET = "gemini-api-key"


def gemini_key(settings: Settings, secrets: Secrets, local_only: bool = False) -> str | None:
    """The Gemini API key the analyzer will use (None: the local scorer); ConfigError when
    ``backends.analyzer`` is gemini and the secret is missing."""
    mode = "local" if local_only else settings.backends.analyzer
    key = secrets.get(GEMINI_SECRET) if mode != "local" else None
    if mode == "gemini" and not key:
        raise ConfigError(
            f"backends.analyzer is 'gemini' but the secret {GEMINI_SECRET} is not set "
            "(env GEMINI_API_KEY, or Secret Manager in the cloud)",
            field="backends.analyzer",
        )
    return key


def build_analyzer(
    settings: Settings, secrets: Secrets, local_only: bool = False, guard: Guard | None = None
) -> Analyzer:
    """Gemini when ``backends.analyzer`` is gemini, or auto and the secret ``gemini-api-key``
    (env ``GEMINI_API_KEY``) is set; else the local scorer."""
    key = gemini_key(settings, secrets, local_only)
    if key:
        from common.adapters.gemini import GeminiClient
        from common.analysis.gemini_analyzer import GeminiAnalyzer

        client = GeminiClient(key, settings.gemini, guard=guard)
        return GeminiAnalyzer(client, settings.gemini.max_prompt_tokens)
    from common.analysis.local_scorer import LocalScorer

    return LocalScorer()


#: secrets the Gmail mailer reads (Secret Manager names; env GMAIL_REFRESH_TOKEN etc. locally)
GMAIL_SECRETS = ("gmail-refresh-token", "gmail-client-id", "gmail-client-secret")


def build_writer(rt: Runtime) -> DocumentWriter | None:
    """Gemini writing the letter and summary: with ``documents.writer: gemini``, or ``auto``
    in a cloud deployment (Firestore store), when the Gemini key is set; else None (the
    template writes them)."""
    settings = rt.settings
    mode = settings.documents.writer
    if mode == "template" or (mode == "auto" and settings.backends.store != "firestore"):
        return None
    if settings.backends.analyzer == "local":
        return None
    key = rt.secrets.get(GEMINI_SECRET)
    if not key:
        if mode == "gemini":
            raise ConfigError(
                f"documents.writer is 'gemini' but the secret {GEMINI_SECRET} is not set "
                "(env GEMINI_API_KEY, or Secret Manager in the cloud)",
                field="documents.writer",
            )
        return None
    from common.adapters.gemini import GeminiClient
    from common.documents.llm_writer import LlmWriter
    from common.services.llm_budget import LlmBudget

    client = GeminiClient(key, settings.gemini, guard=rt.guard)
    budget = LlmBudget(rt.store, rt.clock, settings.gemini)
    return LlmWriter(client, budget, settings.gemini.max_prompt_tokens)


def gmail_secrets(secrets: Secrets) -> dict[str, str]:
    """The Gmail OAuth secrets; ConfigError naming the missing ones and how to get them."""
    values = {name: secrets.get(name) for name in GMAIL_SECRETS}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ConfigError(
            f"backends.mailer 'gmail' needs the secrets {', '.join(missing)}: run "
            "`autoapply auth gmail` and store them (Secret Manager, or GMAIL_REFRESH_TOKEN, "
            "GMAIL_CLIENT_ID, GMAIL_CLIENT_SECRET in the environment or .env)",
            field="backends.mailer",
        )
    return {name: str(value) for name, value in values.items()}


def build_mailer(
    settings: Settings, secrets: Secrets | None = None, guard: Guard | None = None
) -> Mailer:
    """The mailer of ``backends.mailer``: the ``.eml`` outbox, or Gmail with the OAuth secrets.

    ``AUTOAPPLY_GMAIL_ENDPOINT`` and ``AUTOAPPLY_GMAIL_TOKEN_URI`` point Gmail at another
    server (a local fake in tests).
    """
    if settings.backends.mailer == "gmail":
        values = gmail_secrets(secrets or build_secrets(settings))
        from common.adapters.gmail import GmailMailer

        return GmailMailer(
            refresh_token=str(values["gmail-refresh-token"]),
            client_id=str(values["gmail-client-id"]),
            client_secret=str(values["gmail-client-secret"]),
            token_uri=os.environ.get("AUTOAPPLY_GMAIL_TOKEN_URI"),
            endpoint=os.environ.get("AUTOAPPLY_GMAIL_ENDPOINT"),
            guard=guard,
        )
    from common.adapters.mailer_outbox import OutboxMailer

    return OutboxMailer(settings.data_path / "outbox")


def build_runtime(settings: Settings | None = None) -> Runtime:
    """Every port for ``settings`` (loaded from the file and environment when omitted)."""
    from common.settings import load_settings

    settings = settings or load_settings()
    rt = Runtime(
        settings=settings,
        store=build_store(settings),
        objects=build_objects(settings),
        bus=build_bus(settings),
        secrets=build_secrets(settings),
    )
    from common.adapters.bus_local import LocalBus

    if isinstance(rt.bus, LocalBus):  # keep what the in-process bus gives up on, for replay
        rt.bus.on_dead_letter = functools.partial(_keep_local_dead_letter, rt)
        # a local process says it is alive, so that after a crash the next `run` takes over
        # its leases at once (common/adapters/local_processes.py)
        from common.adapters.local_processes import LocalProcesses

        rt.processes = LocalProcesses(settings.data_path / "processes")
        rt.processes.register()
    return rt


def _keep_local_dead_letter(rt: Runtime, env: Any, reason: str) -> None:
    from common.services.dead_letters import record_dead_letter

    record_dead_letter(
        rt.store,
        rt.clock,
        topic=env.topic,
        message=env.message,
        message_id=f"local-{env.id}-{uuid.uuid4().hex[:8]}",
        reason=reason,
        source="local-bus",
        attributes=env.attributes,
    )


_shared: Runtime | None = None


def shared_runtime() -> Runtime:
    """The runtime of this function instance, built on the first request (not at import)."""
    global _shared
    if _shared is None:
        _shared = build_runtime()
    return _shared


def set_shared_runtime(runtime: Runtime | None) -> None:
    """Use ``runtime`` for every entry point in this process (None: build again on next use)."""
    global _shared
    _shared = runtime
