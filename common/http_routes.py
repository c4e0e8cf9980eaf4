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
    """``GET /api/health/integrations``."""
    from common.services import health

    if request.method != "GET" or request.path.rstrip("/") != "/api/health/integrations":
        return _not_found(request)
    body, status = health.integrations(rt or shared_runtime())
    return json_response(body, status)
