"""Health of the integrations: status, latency, circuit breaker, last success and error.

``ok``: the check passed quickly with the breaker closed. ``degraded``: it passed, but slower
than ``health.slow_ms`` or while the breaker is not closed. ``down``: the check failed (or
the integration is misconfigured). An integration that is not in use is ``ok`` with
``enabled: false`` and is not called. Results are reused for ``health.cache_seconds`` in
this instance, so frequent uptime checks do not hammer the services.

Nothing secret or personal is reported: error messages are the ones autoapply writes (they
name a secret, never its value), and checks report counts and names only. Health checks
are audited as log lines only, one ``integration_health`` event per check (not stored: an
uptime check every minute would otherwise write thousands of documents a day); the
"breaker open too long" alert counts them.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any

from common.clock import iso
from common.errors import AutoapplyError, NotFoundError
from common.log_fields import emit
from common.logging import get_logger
from common.resilience.breaker import State
from common.runtime import Runtime
from common.services import health_checks
from common.services.health_checks import Integration

log = get_logger("health")
_lock = threading.Lock()
_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_last: dict[str, dict[str, str]] = {}
_RANK = {"ok": 0, "degraded": 1, "down": 2}


def clear_cache() -> None:
    """Forget cached results and in-process history (tests, configuration changes)."""
    with _lock:
        _cache.clear()
        _last.clear()


def _error(exc: AutoapplyError) -> dict[str, str]:
    # Only messages autoapply composed itself, and never a vendor's text.
    return {"type": type(exc).__name__, "message": exc.message}


def _run(rt: Runtime, spec: Integration) -> dict[str, Any]:
    now = rt.clock.now()
    entry: dict[str, Any] = {"status": "ok", "enabled": spec.enabled, "latency_ms": None}
    started = time.perf_counter()
    if spec.enabled:
        try:
            details = spec.check() or {}
        except AutoapplyError as exc:
            entry.update(status="down", error=_error(exc))
        else:
            entry["details"] = dict(details)
        entry["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        if entry["status"] == "ok" and entry["latency_ms"] > rt.settings.health.slow_ms:
            entry["status"] = "degraded"
        _note(spec, entry, now)
    entry["breaker"] = None
    last = dict(_last.get(spec.name, {}))
    if spec.breaker:
        doc = _breaker_doc(rt, spec.name)
        state = State(doc["state"]) if doc.get("state") else None
        entry["breaker"] = state.value if state else "unknown"
        if state in (State.OPEN, State.HALF_OPEN) and entry["status"] == "ok":
            entry["status"] = "degraded"
        for key in ("last_success", "last_error"):
            if doc.get(key) and doc[key] > last.get(key, ""):
                last[key] = doc[key]
    entry["last_success"] = last.get("last_success")
    entry["last_error"] = last.get("last_error")
    entry["checked_at"] = iso(now)
    if spec.enabled:
        _log_check(spec, entry)
    return entry


def _breaker_doc(rt: Runtime, service: str) -> dict[str, Any]:
    """The breaker's shared state; empty when the store cannot be read (the database entry
    reports that failure)."""
    if rt.guard.breaker is None:
        return {}
    try:
        return rt.guard.breaker.get(service)
    except AutoapplyError:
        return {}


def _note(spec: Integration, entry: dict[str, Any], now: datetime) -> None:
    """Remember this check's outcome (for ``last_success`` / ``last_error``)."""
    key = "last_error" if entry["status"] == "down" else "last_success"
    with _lock:
        _last.setdefault(spec.name, {})[key] = iso(now)


def _log_check(spec: Integration, entry: dict[str, Any]) -> None:
    """The check's audit line: an ``integration_health`` event (log only, never stored)."""
    emit(
        log,
        "integration_health",
        "health %s %s",
        spec.name,
        entry["status"],
        level=logging.WARNING if entry["status"] == "down" else logging.INFO,
        service=spec.name,
        kind=spec.kind,
        status=entry["status"],
        breaker=entry["breaker"],
        latency_ms=entry["latency_ms"],
        error_type=(entry.get("error") or {}).get("type"),
    )


def check(rt: Runtime, name: str) -> dict[str, Any]:
    """The entry of one integration, from the cache when fresh enough."""
    spec = health_checks.integration(rt, name)
    ttl = rt.settings.health.cache_seconds
    with _lock:
        cached = _cache.get(name)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    entry = {"service": name, "kind": spec.kind, **_run(rt, spec)}
    if ttl > 0:
        with _lock:
            _cache[name] = (time.monotonic() + ttl, entry)
    return entry


def http_status(status: str) -> int:
    """200 for ok and degraded, 503 for down."""
    return 503 if status == "down" else 200


def integrations(rt: Runtime) -> tuple[dict[str, Any], int]:
    """Overall status (the worst enabled entry) and one entry per integration."""
    entries = {name: check(rt, name) for name in health_checks.names()}
    enabled = [e["status"] for e in entries.values() if e["enabled"]] or ["ok"]
    overall = max(enabled, key=_RANK.__getitem__)
    body = {"status": overall, "checked_at": iso(rt.clock.now()), "integrations": entries}
    return body, http_status(overall)


def one(rt: Runtime, kind: str, name: str) -> tuple[dict[str, Any], int]:
    """The entry of ``kind``/``name``; NotFoundError for an unknown one."""
    if name not in health_checks.names(kind):
        known = ", ".join(health_checks.names(kind)) or "none"
        raise NotFoundError(f"no {kind} integration {name!r} (known: {known})")
    entry = check(rt, name)
    return entry, http_status(entry["status"])
