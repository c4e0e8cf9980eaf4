"""What every function's ``main.py`` shares: decode, bind log context, call, map errors.

The policy, in one place: a retryable error is raised again (Pub/Sub redelivers; HTTP answers
503), a permanent error is logged and acknowledged (HTTP answers 4xx with a JSON error).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from common.errors import AutoapplyError, PermanentError
from common.events import decode_pubsub
from common.logging import bound, configure, get_logger
from common.runtime import Runtime, shared_runtime

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
    """Run ``handler`` for a Pub/Sub CloudEvent under the one error policy."""
    _setup(function)
    event_id = str(event["id"]) if "id" in event else "unknown"
    with bound(event_id=event_id):
        try:
            delivery = decode_pubsub(event.data, event_id)
            with bound(message_id=delivery.event_id):
                result = handler(delivery.message, runtime())
                log.info("handled", extra={"fields": {"result": result}})
        except AutoapplyError as exc:
            if exc.retryable:
                log.warning("retryable failure, message will be redelivered: %s", exc)
                raise
            log.error("permanent failure, message acknowledged: %s", exc)


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
    """Run an HTTP ``route`` under the one error policy."""
    _setup(function)
    event_id = request.headers.get("X-Cloud-Trace-Context", "").split("/")[0] or None
    with bound(request_id=event_id, path=request.path):
        try:
            return route(request)
        except AutoapplyError as exc:
            (log.warning if exc.retryable else log.error)("request failed: %s", exc)
            return error_response(exc)
