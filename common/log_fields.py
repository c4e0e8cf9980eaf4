"""The structured log fields: one documented, stable set, named here and nowhere else.

Every JSON log line a function writes (:mod:`common.logging`) holds the :data:`BASE` fields and
the bound context (:data:`CONTEXT`: the trace, the function, the ids of what it works on). A
line that feeds a metric also names its :data:`EVENT` and carries that event's fields
(:data:`EVENTS`). The log-based metrics, the dashboard and the alert policies in
``terraform/observability.tf`` filter on exactly these names; ``tests/packaging/
test_observability.py`` fails when a field the deployment reads is not one the code writes.
Renaming a field is a breaking change: rename it here, in every :func:`emit` call and in
Terraform together.

Values are ids, names, counts and durations: never a posting's text, a message body, a secret
or profile content.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

#: written by the formatter on every JSON line
BASE = {
    "severity": "Cloud Logging severity (DEBUG, INFO, WARNING, ERROR, CRITICAL)",
    "message": "the human-readable line",
    "time": "when the line was written (ISO 8601, UTC)",
    "logger": "the autoapply logger (autoapply.<area>)",
}
#: the trace, as Cloud Logging reads it from a JSON line (``projects/P/traces/ID``)
TRACE = "logging.googleapis.com/trace"
#: the span (16 hex digits): one per function invocation
SPAN = "logging.googleapis.com/spanId"
#: the context keys bound while a function works (``common.logging.bound``)
CONTEXT = {
    TRACE: "the trace of the job's journey (born at the webhook or scheduled run)",
    SPAN: "this invocation's span id",
    "function": "the function that wrote the line (scrape, analyze, generate_docs, ...)",
    "event_id": "the CloudEvent id (event functions)",
    "message_id": "the Pub/Sub message id (event functions)",
    "request_id": "the Cloud Run request trace header's id (HTTP functions)",
    "path": "the HTTP path (HTTP functions)",
    "job_id": "the job being worked on",
    "application_id": "the application being delivered",
}
#: the context key holding the raw trace id (the formatter writes :data:`TRACE` from it)
TRACE_ID = "trace"
#: the context key holding the span id (the formatter writes :data:`SPAN` from it)
SPAN_ID = "span"
#: the field naming the kind of record a metric counts
EVENT = "event"


@dataclass(frozen=True)
class Event:
    """One kind of metric record: what it means and its fields (name -> meaning)."""

    doc: str
    fields: Mapping[str, str]
    optional: frozenset[str] = field(default_factory=frozenset)

    @property
    def required(self) -> frozenset[str]:
        return frozenset(self.fields) - self.optional


EVENTS: dict[str, Event] = {
    "invocation": Event(
        "one call of a function (a request, a Pub/Sub delivery), written when it ends",
        {
            "outcome": "ok, deferred (retryable: it comes back), rejected (acknowledged: bad "
            "input, an expired event, a refused caller) or failed (a message that failed for "
            "good, an unexpected exception)",
            "latency_ms": "how long the call took",
        },
    ),
    "external_call": Event(
        "one attempt at an external service (the audit trail's log line)",
        {
            "service": "apify, gemini, gmail, storage",
            "operation": "the API method (runs.get, generate_content, drafts.create, ...)",
            "outcome": "success, failure, business_error, abandoned, circuit_open",
            "latency_ms": "how long the attempt took",
            "error_type": "the autoapply error class when it failed",
            "ids": "the related ids ({'job_id': [...]}), never text",
        },
        frozenset({"error_type", "ids"}),
    ),
    "breaker_transition": Event(
        "a circuit breaker changed state",
        {
            "service": "the breaker's service",
            "from_state": "closed, open, half_open",
            "to_state": "closed, open, half_open",
            "error_type": "the error class of the failure that opened it",
        },
        frozenset({"error_type"}),
    ),
    "integration_health": Event(
        "one health check of one integration (health function, status --health, doctor)",
        {
            "service": "the integration (apify, gemini, gmail, storage, database, ...)",
            "kind": "external or internal",
            "status": "ok, degraded, down",
            "breaker": "the breaker's state (closed, open, half_open, unknown) or null",
            "latency_ms": "how long the check took",
            "error_type": "the autoapply error class when it is down",
        },
        frozenset({"error_type"}),
    ),
    "llm_call": Event(
        "one Gemini generateContent call that answered",
        {
            "model": "the model asked",
            "finish_reason": "why the model stopped (STOP, MAX_TOKENS, ...) or null",
            "blocked": "true when the prompt was blocked",
            "prompt_tokens": "input tokens reported",
            "output_tokens": "answer tokens reported",
            "thinking_tokens": "thinking tokens reported (billed as output)",
            "cached_tokens": "input tokens served from the cache",
        },
    ),
    "llm_budget": Event(
        "the shared Gemini budget counted a call, or refused one",
        {
            "outcome": "reserved or exhausted",
            "scope": "day, minute or cooldown (a 429's wait); null when reserved",
            "day_count": "calls counted today (UTC)",
            "requests_per_day": "the daily budget (gemini.requests_per_day)",
            "day_used_pct": "day_count as a percentage of the daily budget",
            "before_noon": "true when it happened before 12:00 UTC",
        },
    ),
    "ingest": Event(
        "one batch of scraped items ingested (a dataset page, a file)",
        {
            "received": "items read",
            "inserted": "new jobs stored (reposts included)",
            "duplicates": "items already known",
            "rejected": "items refused (all reasons)",
            "reposts": "new jobs that repeat an earlier posting",
            "run_id": "the Apify run, when there is one",
        },
        frozenset({"run_id"}),
    ),
    "ingest_rejected": Event(
        "items refused for one reason in one ingest batch",
        {"reason": "why (unknown shape, missing title, ...)", "count": "how many items"},
    ),
    "job_analyzed": Event(
        "a job was scored once",
        {"decision": "apply, review, skip, or filtered (a hard filter ruled it out)"},
    ),
    "documents_written": Event(
        "the resume and cover letter of one application were written",
        {"guard_events": "how many times the fabrication guard changed the text"},
    ),
    "application": Event(
        "an application's delivery reached a state",
        {
            "status": "written, drafted, sent, deferred, no_contact, duplicate, failed",
            "mode": "outbox, draft or send (null before a mode was chosen)",
        },
    ),
    "dead_letter": Event(
        "a message was kept as a dead letter (stored once)",
        {
            "topic": "the logical topic it was published to",
            "source": "pubsub, expired, permanent or local-bus",
        },
    ),
}


def fields_of(event: str) -> set[str]:
    """Every field a line of ``event`` may hold: its own, the base and the context."""
    return {EVENT, *EVENTS[event].fields, *BASE, *CONTEXT}


_log = logging.getLogger("autoapply.log_fields")


def emit(
    logger: logging.Logger,
    event: str,
    message: str,
    *args: object,
    level: int = logging.INFO,
    **fields: object,
) -> None:
    """Log ``message`` as a record of ``event`` with ``fields``.

    Fields must be the event's declared ones (a test checks every call statically); a
    mismatch at run time is reported once as a warning, never raised: a log line must not
    fail the work it describes.
    """
    spec = EVENTS.get(event)
    if spec is None or not spec.required <= fields.keys() <= spec.fields.keys():
        _log.warning("log event %r written with undeclared or missing fields", event)
    logger.log(level, message, *args, extra={"fields": {EVENT: event, **fields}}, stacklevel=2)
