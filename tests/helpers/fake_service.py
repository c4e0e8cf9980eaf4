"""A tiny external service (pytest-httpserver) that can be taken down, and its client.

The service answers ``POST /items/{id}`` with 200 (and remembers the id) while up, and with
503 + ``Retry-After`` while down. Its client is a minimal real adapter: plain HTTP, errors
translated at the edge the way the vendor adapters do (status -> autoapply error, the wait
from ``Retry-After`` or a ``RetryInfo`` in the body).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

from common.adapters.http_probe import translate_status
from common.errors import RetryableError
from common.resilience.retry import retry_after_from_error_body, retry_after_from_headers
from tests.helpers.clock import FakeClock

ITEM_PATH = re.compile(r"^/items/[^/]+$")


@dataclass
class ItemService:
    """The server side: up or down by the fake clock, counting what it did."""

    clock: FakeClock
    down_until: Any = None  # a datetime: answers 503 before it
    retry_after: int = 5
    done: Counter[str] = field(default_factory=Counter)
    calls: list[tuple[str, int]] = field(default_factory=list)

    def handle(self, request: Request) -> Response:
        item = request.path.rsplit("/", 1)[1]
        if self.down_until is not None and self.clock.now() < self.down_until:
            self.calls.append((item, 503))
            body = {"error": {"code": 503, "status": "UNAVAILABLE", "message": "overloaded"}}
            return Response(
                json.dumps(body),
                status=503,
                headers={"Retry-After": str(self.retry_after)},
                content_type="application/json",
            )
        self.calls.append((item, 200))
        self.done[item] += 1
        return Response(json.dumps({"id": item}), content_type="application/json")


class ItemClient:
    """The adapter side: one POST per item; 503/429 -> RetryableError with its wait."""

    def __init__(self, base_url: str, clock: FakeClock) -> None:
        self.base_url = base_url.rstrip("/")
        self.clock = clock

    def process(self, item: str) -> dict[str, Any]:
        request = urllib.request.Request(f"{self.base_url}/items/{item}", data=b"{}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            headers = dict(exc.headers.items())
            try:
                body = json.loads(exc.read() or b"null")
            except ValueError:
                body = None
            exc.close()
            error = translate_status(exc.code, "items")
            if isinstance(error, RetryableError):
                error.retry_after = retry_after_from_error_body(body) or retry_after_from_headers(
                    headers, self.clock.now()
                )
            raise error from None
