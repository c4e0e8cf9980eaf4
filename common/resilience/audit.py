"""The audit trail: one record per external call, as a log line and in the ``audit`` collection.

The log line is an ``external_call`` event (:mod:`common.log_fields`): the log-based metrics
of calls and latency count it.

A record holds the service, the operation, the outcome, the latency, the error *type* and the
related ids; never a message text, a request or response body, a secret or profile content.
Ids are checked: keys must look like ``job_id`` / ``application_ids`` and values like ids.
Records carry ``expires_at`` for the collection's TTL policy (Firestore deletes them).
Writing a record never fails the call it describes: a store error is logged and dropped.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from common.clock import iso
from common.errors import AutoapplyError, ValidationError
from common.log_fields import emit
from common.logging import get_logger
from common.ports import DocumentStore
from common.store.collections import AUDIT

log = get_logger("audit")
_ID_KEY = re.compile(r"^[a-z][a-z0-9_]*_ids?$")
_ID_VALUE = re.compile(r"^[A-Za-z0-9._:@<>/+=-]{1,200}$")
Ids = Mapping[str, str | Sequence[str]]


def clean_ids(ids: Ids | None) -> dict[str, list[str]]:
    """Validated related ids, each as a list; anything that is not an id is refused."""
    out: dict[str, list[str]] = {}
    for key, value in (ids or {}).items():
        if not _ID_KEY.match(key):
            raise ValidationError(f"audit ids: key {key!r} must look like 'job_id'", field=key)
        values = [value] if isinstance(value, str) else list(value)
        for v in values:
            if not isinstance(v, str) or not _ID_VALUE.match(v):
                raise ValidationError(f"audit ids: {key} must hold ids, not text", field=key)
        out[key] = values
    return out


def audit_record(
    *,
    service: str,
    operation: str,
    outcome: str,
    latency_ms: float,
    at: datetime,
    ttl: timedelta,
    ids: Ids | None = None,
    error_type: str | None = None,
) -> dict[str, Any]:
    """The JSON document of one audited call."""
    doc: dict[str, Any] = {
        "service": service,
        "operation": operation,
        "outcome": outcome,
        "latency_ms": round(latency_ms, 1),
        "at": iso(at),
        "expires_at": iso(at + ttl),
        "ids": clean_ids(ids),
    }
    if error_type:
        doc["error_type"] = error_type
    return doc


class AuditTrail:
    """Writes audit records (log line + ``audit`` collection)."""

    def __init__(self, store: DocumentStore | None, ttl: timedelta) -> None:
        self.store = store
        self.ttl = ttl

    def write(self, doc: dict[str, Any], *, store: bool = True) -> None:
        """Log the record and (unless ``store`` is False) store it; a store failure is
        logged, never raised."""
        emit(
            log,
            "external_call",
            "audit %s.%s %s",
            doc["service"],
            doc["operation"],
            doc["outcome"],
            service=doc["service"],
            operation=doc["operation"],
            outcome=doc["outcome"],
            latency_ms=doc["latency_ms"],
            error_type=doc.get("error_type"),
            ids=doc["ids"],
        )
        if self.store is None or not store:
            return
        try:
            self.store.put(AUDIT, f"{doc['at']}-{uuid.uuid4().hex[:8]}", doc)
        except AutoapplyError as exc:
            log.warning("audit record not stored: %s", type(exc).__name__)
