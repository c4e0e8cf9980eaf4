"""The scrape function's service: Apify webhooks in, normalized jobs out.

Walking-skeleton version: secret-header authentication, body validation, and ingestion of a
succeeded run's dataset, once per run.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, Protocol

from common.errors import AuthError, ValidationError
from common.ports import Clock, DocumentStore, MessageBus, Secrets
from common.services.ingest import ingest_items
from common.store.lease import ClaimState, run_once

SECRET_HEADER = "X-Autoapply-Webhook-Secret"
MAX_BODY = 256 * 1024
LEASE = timedelta(minutes=9)


class RunReader(Protocol):
    """Reads a scraper run and its dataset (the Apify API)."""

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """The run object, or None when the API does not know the id."""
        ...

    def iter_items(self, dataset_id: str) -> Iterator[dict[str, Any]]:
        """The dataset's items, page by page."""
        ...


def authenticate(header: str | None, secrets: Secrets) -> None:
    """Constant-time check of the webhook secret (the current one or the previous one)."""
    candidates = [
        s
        for s in (secrets.get("apify-webhook-secret"), secrets.get("apify-webhook-secret-previous"))
        if s
    ]
    if not candidates:
        raise AuthError("the webhook secret is not configured (secret apify-webhook-secret)")
    given = (header or "").encode()
    if not any(hmac.compare_digest(given, s.encode()) for s in candidates):
        raise AuthError("missing or wrong webhook secret")


def parse_webhook(body: bytes) -> dict[str, Any]:
    """Validate an Apify webhook body; the error names what is wrong."""
    if len(body) > MAX_BODY:
        raise ValidationError(f"body: larger than {MAX_BODY} bytes")
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ValidationError(f"body: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ValidationError("body: expected a JSON object")
    if not isinstance(data.get("eventType"), str):
        raise ValidationError("eventType: expected a string", field="eventType")
    return data


def handle_webhook(
    data: dict[str, Any],
    *,
    store: DocumentStore,
    bus: MessageBus,
    clock: Clock,
    reader: RunReader,
    allowed_actors: set[str],
) -> dict[str, Any]:
    """Ingest a succeeded run once; acknowledge the other event types."""
    event = data["eventType"]
    if event != "ACTOR.RUN.SUCCEEDED":
        return {"status": "ignored", "eventType": event}
    run_id = (data.get("eventData") or {}).get("actorRunId")
    if not isinstance(run_id, str) or not run_id:
        raise ValidationError(
            "eventData.actorRunId: expected the run id", field="eventData.actorRunId"
        )
    run = reader.get_run(run_id)
    if run is None:
        raise ValidationError(f"run {run_id} is unknown to the Apify API")
    if allowed_actors and run.get("actId") not in allowed_actors:
        raise AuthError(f"run {run_id} belongs to an actor that is not configured")
    if run.get("status") != "SUCCEEDED":
        raise ValidationError(f"run {run_id} has status {run.get('status')}, not SUCCEEDED")
    report: dict[str, Any] = {}

    def work() -> dict[str, Any]:
        result = ingest_items(
            reader.iter_items(run["defaultDatasetId"]),
            store=store,
            bus=bus,
            now=clock.now(),
            actor=None,
            run_id=run_id,
        )
        report.update(result.to_dict())
        return report

    state = run_once(store, f"apify-run:{run_id}", clock.now(), LEASE, work)
    return {"status": "ingested" if state is ClaimState.ACQUIRED else state.value, **report}
