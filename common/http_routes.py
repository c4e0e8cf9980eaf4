"""HTTP routing for the scrape and health functions (Flask requests in, response tuples out)."""

from __future__ import annotations

import functools
from typing import Any

from common.entry import json_response
from common.errors import PermanentError, ValidationError
from common.events import decode_pubsub
from common.jsonsafe import loads
from common.logging import get_logger
from common.runtime import Runtime, shared_runtime
from common.tracing import adopt, from_attributes

Response = tuple[str, int, dict[str, str]]
log = get_logger("http")


def _not_found(request: Any) -> Response:
    return json_response(
        {"error": "NotFound", "message": f"no route {request.method} {request.path}"}, 404
    )


SCRAPE_PATHS = ("/webhooks/apify", "/runs", "/tasks/ingest-continue")


def read_body(request: Any, max_bytes: int) -> bytes:
    """The request body, refusing one over ``max_bytes`` without reading it all."""
    declared = request.content_length
    if declared is not None and declared > max_bytes:
        raise ValidationError(f"body: larger than {max_bytes} bytes", field="body")
    data = request.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(f"body: larger than {max_bytes} bytes", field="body")
    return data


@functools.cache
def _apify(token: str | None, api_url: str | None, guard: Any) -> Any:
    """One Apify adapter per token, URL and guard in this instance (it caches actor ids)."""
    from common.adapters.apify_api import ApifyRuns

    return ApifyRuns(token, api_url=api_url, guard=guard)


def scrape_context(rt: Runtime) -> Any:
    """The scrape service's context for this runtime."""
    from common.services.scrape import ScrapeContext

    return ScrapeContext(
        store=rt.store,
        bus=rt.bus,
        clock=rt.clock,
        make_api=lambda: _apify(rt.secrets.get("apify-token"), rt.settings.apify.api_url, rt.guard),
        config=rt.settings.apify,
        searches=rt.settings.searches,
    )


def _ingest_continue(request: Any, rt: Runtime, limit: int) -> Response:
    """A Pub/Sub push: any answer but 2xx is redelivered, so a message that can never
    succeed is acknowledged (200, logged) and only a passing failure answers 503."""
    from common.services import scrape

    try:
        push = loads(read_body(request, limit), "body")
        delivery = decode_pubsub(push, "push")
        adopt(from_attributes(delivery.attributes))  # the run's trace, not the push request's
        return json_response(scrape.handle_continue(delivery.message, scrape_context(rt)))
    except PermanentError as exc:
        log.error("ingest-continue message dropped: %s", exc)
        return json_response({"status": "dropped", **exc.to_dict()})


_verifiers: dict[tuple[str, tuple[str, ...], str], Any] = {}


def _authenticate_google_caller(request: Any, rt: Runtime) -> None:
    """Cloud Scheduler (``/runs``) and Pub/Sub push (``/tasks/...``): a Google-signed OIDC
    token for ``callers.audience`` naming an allowed service account. Without an audience
    configured (on a laptop), the webhook secret header instead. The function is public, so
    nothing in front of it checks this."""
    from common.services import scrape

    callers = rt.settings.callers
    if not callers.audience:
        scrape.authenticate(request.headers.get(scrape.SECRET_HEADER), rt.secrets)
        return
    key = (callers.audience, tuple(callers.service_accounts), callers.certs_url)
    if key not in _verifiers:
        from common.adapters.google_oidc import OidcVerifier

        _verifiers[key] = OidcVerifier(
            callers.audience, callers.service_accounts, callers.certs_url
        )
    _verifiers[key].verify(request.headers.get("Authorization"))


def scrape_routes(request: Any, rt: Runtime | None = None) -> Response:
    """``POST /webhooks/apify`` (Apify), ``POST /runs`` (Cloud Scheduler) and
    ``POST /tasks/ingest-continue`` (the Pub/Sub push of topic ``ingest-continue``)."""
    from common.services import scrape

    path = request.path.rstrip("/")
    if request.method != "POST" or path not in SCRAPE_PATHS:
        return _not_found(request)
    rt = rt or shared_runtime()
    limit = rt.settings.apify.max_body_bytes
    if path == "/tasks/ingest-continue":
        _authenticate_google_caller(request, rt)
        return _ingest_continue(request, rt, limit)
    if path == "/runs":
        _authenticate_google_caller(request, rt)
        # the webhook carries the secret header: its URL is configured (Terraform sets it),
        # never taken from the request (a forged Host would receive the secret)
        result = scrape.start_runs(
            scrape_context(rt),
            rt.secrets,
            request.headers.get("X-CloudScheduler-ScheduleTime"),
            request.headers.get("X-CloudScheduler-JobName"),
            rt.settings.apify.webhook_url,
        )
        return json_response(result)
    scrape.authenticate(request.headers.get(scrape.SECRET_HEADER), rt.secrets)
    data = scrape.parse_webhook(read_body(request, limit), limit)
    return json_response(scrape.handle_webhook(data, scrape_context(rt)))


def health_routes(request: Any, rt: Runtime | None = None) -> Response:
    """``GET /api/health/integrations``, ``GET /api/health/{external|internal}/{service}``,
    and ``POST /pubsub/dead-letters`` (the push subscription of the dead-letter topic)."""
    from common.services import health

    parts = [p for p in request.path.split("/") if p]
    if request.method == "POST" and parts == ["pubsub", "dead-letters"]:
        return _dead_letter_push(request, rt or shared_runtime())
    if request.method != "GET" or parts[:2] != ["api", "health"]:
        return _not_found(request)
    if parts[2:] == ["integrations"]:
        body, status = health.integrations(rt or shared_runtime())
    elif len(parts) == 4 and parts[2] in ("external", "internal"):
        body, status = health.one(rt or shared_runtime(), parts[2], parts[3])
    else:
        return _not_found(request)
    return json_response(body, status)


def _dead_letter_push(request: Any, rt: Runtime) -> Response:
    """Store a message Pub/Sub forwarded to the dead-letter topic (a push delivery).

    A body that can never be stored (not JSON, too deep, too large, no message, no known
    topic) is acknowledged with 200 and logged: Pub/Sub retries a push answered 4xx for the
    subscription's whole retention (7 days). Only a passing failure (the store) answers 503.
    """
    from common.services.dead_letters import MAX_MESSAGE, from_dead_letter_push

    raw = b""
    try:
        raw = request.get_data(cache=False)
        if len(raw) > 4 * MAX_MESSAGE:
            raise ValidationError(f"body: larger than {4 * MAX_MESSAGE} bytes")
        data = loads(raw, "body")  # not JSON, or nested too deeply: ValidationError
        delivery = decode_pubsub(data, request.headers.get("ce-id", "push"))
        adopt(from_attributes(delivery.attributes))  # the dead message's own trace
        doc_id = from_dead_letter_push(rt.store, rt.clock, delivery)
    except PermanentError as exc:
        log.error(
            "dead letter push rejected (acknowledged, not stored): %s",
            exc.message,
            extra={"fields": {"field": exc.field, "bytes": len(raw)}},
        )
        return json_response({"status": "rejected", **exc.to_dict()})
    return json_response({"status": "stored", "dead_letter": doc_id})
