"""What every function's ``main.py`` shares: decode, bind log context, call, map errors.

The policy, in one place: a retryable error is raised again (Pub/Sub redelivers; HTTP answers
503), a permanent error is logged and acknowledged (HTTP answers 4xx with a JSON error).

Every invocation runs in a span of the job's trace (:mod:`common.tracing`): the trace a
Pub/Sub message carries, or the one an HTTP request brings (else a new one); every log line
written meanwhile carries it, and every message published continues it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

from common.clock import parse_iso
from common.errors import AutoapplyError, CircuitOpen, PermanentError
from common.events import Delivery, decode_pubsub, topic_of
from common.log_fields import emit
from common.logging import bound, configure, get_logger
from common.runtime import Runtime, shared_runtime
from common.tracing import TRACE_HEADER, current, from_headers, from_push, span

log = get_logger("entry")
_configured: set[str] = set()


def _setup(function: str) -> None:
    if function not in _configured:
        configure(function)
        _configured.add(function)


def handle_cloud_event(
    event: Any,
    function: str,
    handler: Callable[[dict[str, Any], Runtime], Any],
    runtime: Callable[[], Runtime] = shared_runtime,
) -> None:
    """Run ``handler`` for a Pub/Sub CloudEvent under the one error policy.

    An event older than ``resilience.max_event_age_seconds`` is not handled: it is kept as a
    dead letter and acknowledged, so it is not retried forever. An open circuit breaker
    (:class:`CircuitOpen`) defers the message: it is raised, and Pub/Sub redelivers later.
    """
    _setup(function)
    event_id = str(event["id"]) if "id" in event else "unknown"
    with (
        span(from_push(event.data)),
        bound(function=function, event_id=event_id),
        _invocation() as outcome,
    ):
        try:
            delivery = decode_pubsub(event.data, event_id)
            with bound(message_id=delivery.event_id):
                rt = runtime()
                if _expired(event, delivery, rt):
                    outcome["outcome"] = "rejected"
                    return
                result = handler(delivery.message, rt)
                log.info("handled", extra={"fields": {"result": result}})
        except CircuitOpen as exc:
            log.warning("deferred, message will be redelivered: %s", exc)
            raise
        except AutoapplyError as exc:
            if exc.retryable:
                log.warning("retryable failure, message will be redelivered: %s", exc)
                raise
            log.error("permanent failure, message acknowledged: %s", exc)
            outcome["outcome"] = "failed"
            _record_permanent(event, exc, runtime)


@contextlib.contextmanager
def _invocation() -> Iterator[dict[str, str]]:
    """One ``invocation`` event per call of a function: ok, deferred (retryable: it comes
    back), rejected (acknowledged: bad input, an expired event, a refused caller) or failed (a
    permanent failure of a message, or an unexpected exception). The error-rate alert is the
    failed share."""
    started = time.perf_counter()
    state = {"outcome": "ok"}
    try:
        yield state
    except AutoapplyError as exc:
        state["outcome"] = "deferred" if exc.retryable else "failed"
        raise
    except Exception:
        state["outcome"] = "failed"
        log.exception("unexpected failure")
        raise
    finally:
        emit(
            log,
            "invocation",
            "invocation %s",
            state["outcome"],
            level=logging.ERROR if state["outcome"] == "failed" else logging.INFO,
            outcome=state["outcome"],
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )


def _record_permanent(event: Any, exc: AutoapplyError, runtime: Callable[[], Runtime]) -> None:
    """Keep a permanently failed message as a dead letter (``source: permanent``), once."""
    from common.services.dead_letters import record_dead_letter

    try:
        rt = runtime()
        delivery = decode_pubsub(event.data, str(event["id"]) if "id" in event else "unknown")
        topic = topic_of(delivery, event.get("source"), rt.settings.gcp.topic_prefix)
        if topic:
            record_dead_letter(
                rt.store,
                rt.clock,
                topic=topic,
                message=delivery.message,
                message_id=delivery.event_id,
                reason=f"permanent failure: {exc}",
                source="permanent",
                attributes=delivery.attributes,
            )
    except AutoapplyError as again:  # an undecodable event or a store down: the log is the record
        log.error("permanent failure not kept as a dead letter: %s", again)


def _expired(event: Any, delivery: Delivery, rt: Runtime) -> bool:
    """Drop (and keep as a dead letter) an event older than the configured cut-off."""
    from common.services.dead_letters import record_dead_letter

    stamp = delivery.publish_time or event.get("time")
    if not stamp:
        return False
    try:
        published = parse_iso(str(stamp))
    except ValueError:
        return False
    age = (rt.clock.now() - published).total_seconds()
    limit = rt.settings.resilience.max_event_age_seconds
    if age <= limit:
        return False
    topic = topic_of(delivery, event.get("source"), rt.settings.gcp.topic_prefix)
    reason = f"event older than the cut-off ({age:.0f} s > {limit} s): dropped"
    log.error(reason, extra={"fields": {"topic": topic, "published": stamp}})
    if topic:
        record_dead_letter(
            rt.store,
            rt.clock,
            topic=topic,
            message=delivery.message,
            message_id=delivery.event_id,
            reason=reason,
            source="expired",
            attributes=delivery.attributes,
        )
    return True


def json_response(body: dict[str, Any], status: int = 200) -> tuple[str, int, dict[str, str]]:
    """A Flask response tuple with a JSON body."""
    return json.dumps(body), status, {"Content-Type": "application/json"}


def error_response(exc: AutoapplyError) -> tuple[str, int, dict[str, str]]:
    """The HTTP answer for an autoapply error: 503 retryable, 4xx permanent."""
    from common.errors import AuthError, NotFoundError

    if exc.retryable:
        status = 503
    elif isinstance(exc, AuthError):
        status = 401
    elif isinstance(exc, NotFoundError):
        status = 404
    elif isinstance(exc, PermanentError):
        status = 400
    else:
        status = 500
    return json_response(exc.to_dict(), status)


def handle_http(
    request: Any, function: str, route: Callable[[Any], tuple[str, int, dict[str, str]]]
) -> Any:
    """Run an HTTP ``route`` under the one error policy; the answer names the trace in
    ``X-Autoapply-Trace`` (filter the logs on it to follow what the request started)."""
    _setup(function)
    event_id = request.headers.get("X-Cloud-Trace-Context", "").split("/")[0] or None
    with (
        span(from_headers(request.headers)),
        bound(function=function, request_id=event_id, path=request.path),
        _invocation() as outcome,
    ):
        try:
            response = route(request)
        except AutoapplyError as exc:
            (log.warning if exc.retryable else log.error)("request failed: %s", exc)
            outcome["outcome"] = "deferred" if exc.retryable else "rejected"
            response = error_response(exc)
        trace = current()  # the route may have adopted the trace of the message it carries
    return _traced(response, trace)


def _traced(response: Any, trace: str | None) -> Any:
    """``response`` (a Flask response tuple) with the trace header added."""
    if (
        trace
        and isinstance(response, tuple)
        and len(response) == 3
        and isinstance(response[2], dict)
    ):
        return (response[0], response[1], {**response[2], TRACE_HEADER: trace})
    return response
