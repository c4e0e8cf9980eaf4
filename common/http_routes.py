"""HTTP routing for the scrape and health functions (Flask requests in, response tuples out)."""

from __future__ import annotations

from typing import Any

from common.entry import json_response
from common.errors import ConfigError
from common.runtime import Runtime, shared_runtime

Response = tuple[str, int, dict[str, str]]


def _not_found(request: Any) -> Response:
    return json_response(
        {"error": "NotFound", "message": f"no route {request.method} {request.path}"}, 404
    )


def scrape_routes(request: Any, rt: Runtime | None = None) -> Response:
    """``POST /webhooks/apify`` and ``POST /runs``."""
    from common.services import scrape

    path = request.path.rstrip("/")
    if request.method != "POST" or path not in ("/webhooks/apify", "/runs"):
        return _not_found(request)
    rt = rt or shared_runtime()
    if path == "/runs":
        raise ConfigError("POST /runs: scheduled runs are not configured in this version")
    scrape.authenticate(request.headers.get(scrape.SECRET_HEADER), rt.secrets)
    data = scrape.parse_webhook(request.get_data(cache=False))
    from common.adapters.apify_api import ApifyRuns

    reader = ApifyRuns(rt.secrets.get("apify-token"), api_url=rt.secrets.get("apify-api-url"))
    allowed = {s.actor for s in rt.settings.searches}
    result = scrape.handle_webhook(
        data, store=rt.store, bus=rt.bus, clock=rt.clock, reader=reader, allowed_actors=allowed
    )
    return json_response(result)


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
    """Store a message Pub/Sub forwarded to the dead-letter topic (a push delivery)."""
    import json

    from common.errors import ValidationError
    from common.events import decode_pubsub
    from common.services.dead_letters import MAX_MESSAGE, from_dead_letter_push

    raw = request.get_data(cache=False)
    if len(raw) > 4 * MAX_MESSAGE:
        raise ValidationError(f"body: larger than {4 * MAX_MESSAGE} bytes")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ValidationError(f"body: not valid JSON ({exc})") from exc
    delivery = decode_pubsub(data, request.headers.get("ce-id", "push"))
    doc_id = from_dead_letter_push(rt.store, rt.clock, delivery)
    return json_response({"status": "stored", "dead_letter": doc_id})
