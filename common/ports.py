"""The ports of the design: what business logic talks to, as ``typing.Protocol``s.

Services import only this module and the domain; adapters in ``common.adapters`` implement
these protocols for the embedded defaults (SQLite, folder, in-process bus, ...) and for Google
Cloud (Firestore, Cloud Storage, Pub/Sub, ...). No SDK is imported here.

Documents are JSON-compatible dicts (``pydantic`` ``model_dump(mode="json")``): datetimes are
ISO 8601 UTC strings, so they order the same way in every backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:  # annotations only: the domain models (pydantic) load when first used
    from common.domain.analysis import Analysis
    from common.domain.base import Record
    from common.domain.candidate import Profile
    from common.domain.job import Job
    from common.domain.preferences import Preferences

Doc = dict[str, Any]
Op = Literal["==", "!=", "<", "<=", ">", ">=", "in"]

#: Largest number of writes in one batched commit (Firestore's limit, kept everywhere).
MAX_BATCH = 500


@dataclass(frozen=True)
class Where:
    """One query condition: ``field op value`` (top-level fields only)."""

    field: str
    op: Op
    value: Any


@runtime_checkable
class DocumentStore(Protocol):
    """Keyed JSON documents in named collections (SQLite file or Firestore)."""

    def get(self, collection: str, doc_id: str) -> Doc | None:
        """The document, or None when it does not exist."""
        ...

    def get_many(self, collection: str, doc_ids: Iterable[str]) -> dict[str, Doc]:
        """The documents that exist among ``doc_ids``, by id."""
        ...

    def get_multi(self, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Doc]:
        """The documents that exist among ``(collection, id)`` pairs of any collections, read
        together (one round trip in Firestore)."""
        ...

    def existing(self, collection: str, doc_ids: Iterable[str]) -> set[str]:
        """The ids among ``doc_ids`` whose documents exist, without reading the documents."""
        ...

    def put(self, collection: str, doc_id: str, doc: Doc) -> None:
        """Create or replace a document."""
        ...

    def create(self, collection: str, doc_id: str, doc: Doc) -> bool:
        """Create the document if absent; True when this call created it."""
        ...

    def update(self, collection: str, doc_id: str, fields: Doc) -> None:
        """Merge top-level ``fields`` into an existing document (NotFoundError if absent)."""
        ...

    def delete(self, collection: str, doc_id: str) -> None:
        """Delete the document; deleting an absent one is not an error."""
        ...

    def transact(
        self, collection: str, doc_id: str, fn: Callable[[Doc | None], Doc | None]
    ) -> Doc | None:
        """Read-modify-write one document atomically.

        ``fn`` gets the current document (or None) and returns the new one, or None to leave
        it as it is. It may be called more than once (on contention), so it must be pure.
        Returns what ``fn`` returned on the attempt that committed.
        """
        ...

    def query(
        self,
        collection: str,
        where: Iterable[Where] = (),
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[tuple[str, Doc]]:
        """``(id, document)`` pairs matching every condition, ordered and limited. With
        ``fields`` (top-level names), each document holds only those of them that are set
        (not null): cheap to read many large documents for a few of their fields."""
        ...

    def put_many(self, collection: str, docs: Mapping[str, Doc | Record]) -> None:
        """Create or replace many documents, committed in batches of at most MAX_BATCH; a
        record is stored as its ``to_doc()`` (a store may encode it faster)."""
        ...

    def create_many(self, collection: str, docs: Mapping[str, Doc]) -> set[str]:
        """Create each document that is absent (existing ones are left as they are), in
        batches of at most MAX_BATCH; the ids this call created."""
        ...


@runtime_checkable
class ObjectStore(Protocol):
    """Blobs under slash-separated keys (local folder or Cloud Storage)."""

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """Write (replacing) and return a locator: a file path or a ``gs://`` URI."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes under ``key`` (NotFoundError if absent)."""
        ...

    def exists(self, key: str) -> bool:
        """Whether ``key`` holds an object."""
        ...

    def version(self, key: str) -> str | None:
        """A token that changes whenever ``key`` is written (None when absent): one cheap call
        that tells a cache whether its copy is still current."""
        ...

    def list(self, prefix: str = "") -> list[str]:
        """Keys that start with ``prefix``, sorted."""
        ...

    def delete(self, key: str) -> None:
        """Remove ``key``; removing an absent key is not an error."""
        ...

    def uri(self, key: str) -> str:
        """Where ``key`` lives, for people: a ``file://`` or ``gs://`` URI (no I/O)."""
        ...


Handler = Callable[[Doc, dict[str, str]], None]


@runtime_checkable
class MessageBus(Protocol):
    """Publishes small JSON messages (ids only) to named topics."""

    def publish(self, topic: str, message: Doc, attributes: Mapping[str, str] | None = None) -> str:
        """Publish one message and return its id."""
        ...


@runtime_checkable
class Secrets(Protocol):
    """Named secret values (environment / .env, or Secret Manager)."""

    def get(self, name: str) -> str | None:
        """The secret's current value, or None when it is not set."""
        ...


@runtime_checkable
class Clock(Protocol):
    """The time, so that tests can fix it."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


@dataclass(frozen=True)
class MailResult:
    """What a mailer did with one message."""

    status: Literal["written", "drafted", "sent"]
    locator: str  # .eml path, Gmail draft id or Gmail message id
    thread_id: str | None = None


@runtime_checkable
class Mailer(Protocol):
    """Delivers a composed application email: an outbox file, a Gmail draft or a send.

    A mailer never retries a delivery itself: a lost answer raises
    :class:`common.errors.OutcomeUnknown` and the caller reconciles with :meth:`find_sent`.
    """

    def deliver(self, raw: bytes, *, message_id: str, mode: str) -> MailResult:
        """Deliver the RFC 5322 bytes ``raw`` in ``mode`` (outbox, draft or send)."""
        ...

    def find_sent(
        self,
        *,
        message_id: str,
        recipient: str | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        mode: str = "send",
    ) -> str | None:
        """The locator of an already delivered message (a draft in ``draft`` mode): by
        Message-ID, else by recipient + subject after ``since``; None when there is none."""
        ...

    def send_draft(self, draft_id: str) -> MailResult:
        """Send a reviewed draft."""
        ...

    def discard_draft(self, draft_id: str) -> None:
        """Discard a draft (or a written file); an absent one is not an error."""
        ...


@dataclass(frozen=True)
class ThreadAnswer:
    """The first message in a thread that the candidate did not write."""

    thread_id: str
    sender: str
    at: datetime | None = None


@runtime_checkable
class MailboxReader(Protocol):
    """Reads the candidate's mailbox (Gmail, with the ``gmail.readonly`` scope)."""

    def answered_threads(
        self, thread_ids: set[str], *, since: datetime, own_address: str
    ) -> list[ThreadAnswer]:
        """The threads among ``thread_ids`` that received a message from someone else after
        ``since``."""
        ...


@dataclass(frozen=True)
class LlmReply:
    """One structured-output answer: the parsed JSON (None when the text is not valid JSON),
    the raw text, why the model stopped (``MAX_TOKENS``: cut short) or refused, and the token
    counts it reported (thought tokens count against the output limit)."""

    data: dict[str, Any] | None
    text: str | None
    finish_reason: str | None = None
    block_reason: str | None = None
    prompt_tokens: int | None = None
    cached_tokens: int | None = None
    thoughts_tokens: int | None = None


@runtime_checkable
class LlmClient(Protocol):
    """A language model with structured (JSON schema) output."""

    model: str

    def generate_json(self, system: str, parts: list[str], schema: Doc) -> LlmReply:
        """Ask with ``system`` instructions and the user ``parts`` (in order); the answer must
        follow the JSON ``schema``. Raises RetryableError / BudgetExhausted for passing
        failures, AuthError / PermanentError for refusals."""
        ...


@runtime_checkable
class Analyzer(Protocol):
    """Scores a job against the candidate (local scorer or Gemini)."""

    #: True when ``analyze`` calls a paid model: the service then pre-scores locally,
    #: budgets and caches the calls
    remote: bool

    def analyze(self, job: Job, profile: Profile, preferences: Preferences) -> Analysis:
        """The analysis of ``job``; hard filters are applied before this is called."""
        ...


@dataclass(frozen=True)
class WritingBrief:
    """What a writer gets to write one application: the job, the letter's language, the
    candidate's facts the letter may use (never contact data) and the template's draft."""

    job: Job
    language: str  # ISO 639-1 code of the letter
    summary_language: str  # ISO 639-1 code of the resume (the profile's language)
    facts: dict[str, Any]
    draft_summary: str
    draft_paragraphs: list[str]


@dataclass(frozen=True)
class Written:
    """A writer's resume summary and letter body (paragraphs, no greeting or sign-off)."""

    summary: str
    paragraphs: list[str]


@runtime_checkable
class DocumentWriter(Protocol):
    """Writes the resume summary and the letter body for a job (a language model).

    Its output is untrusted: the guard checks every sentence against the profile, and the
    company, role, greeting, subject and closing always come from code.
    """

    #: who writes (the model id), recorded on the application
    name: str

    def write(self, brief: WritingBrief) -> Written:
        """One call for the whole application; AutoapplyError when it cannot."""
        ...


@dataclass(frozen=True)
class DatasetPage:
    """One page of a scraper run's dataset."""

    items: list[Doc]
    offset: int
    total: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None after the last page."""
        end = self.offset + len(self.items)
        return end if self.items and end < self.total else None


@runtime_checkable
class ScraperApi(Protocol):
    """The scraper platform's API (Apify): runs, their datasets, and starting runs."""

    def get_run(self, run_id: str) -> Doc | None:
        """The run object (Apify's JSON field names), or None when the API does not know it."""
        ...

    def read_page(
        self, dataset_id: str, offset: int, limit: int, *, within: float | None = None
    ) -> DatasetPage:
        """``limit`` items of the dataset from ``offset`` (NotFoundError if it is gone), its
        retries included within ``within`` seconds (RetryableError when they run out)."""
        ...

    def actor_id(self, actor: str) -> str | None:
        """The opaque id of an actor named ``user/name`` (None if unknown)."""
        ...

    def start_run(
        self, actor: str, run_input: Doc, *, webhooks: list[Doc], options: Mapping[str, Any]
    ) -> Doc:
        """Start ``actor`` with ``run_input`` and ad-hoc ``webhooks``; the run object."""
        ...
