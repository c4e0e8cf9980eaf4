"""Health checks of the integrations. Cheap: they spend no send or generation quota.

Walking-skeleton version: the store and the object store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from common.clock import iso
from common.errors import AutoapplyError
from common.runtime import Runtime


def _check(fn: Callable[[], Any]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        fn()
    except AutoapplyError as exc:
        status, error = "down", type(exc).__name__
    else:
        status, error = "ok", None
    entry: dict[str, Any] = {
        "status": status,
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    if error:
        entry["error"] = error
    return entry


def integrations(rt: Runtime) -> tuple[dict[str, Any], int]:
    """Overall status and one entry per integration; 503 when any is down."""
    checks = {
        "database": _check(lambda: rt.store.get("health", "probe")),
        "storage": _check(lambda: rt.objects.exists("health/probe")),
    }
    overall = "down" if any(c["status"] == "down" for c in checks.values()) else "ok"
    body = {"status": overall, "checked_at": iso(rt.clock.now()), "integrations": checks}
    return body, 503 if overall == "down" else 200
