"""A transactional claim with a lease, the base of every idempotent handler.

One place for the rule; each store adapter only provides ``transact`` (SQLite ``BEGIN
IMMEDIATE``, a Firestore transaction). A claim record lives in its own document:

    {"state": "in_progress" | "done", "owner": str, "lease_until": iso, "attempts": int, ...}

* absent, or in progress with an expired lease -> the caller acquires it;
* in progress with a live lease held by someone else -> busy (redeliver later);
* done -> already handled (acknowledge, do nothing).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from common.clock import iso, parse_iso
from common.ports import DocumentStore
from common.store.collections import CLAIMS

#: a claim record is deleted this long after it was last written (Firestore TTL policy on
#: ``expires_at``): far beyond any redelivery, since events older than
#: ``resilience.max_event_age_seconds`` are dropped, and every stage is idempotent anyway
CLAIM_TTL = timedelta(days=14)

#: this process, in every owner id it creates (``<process>.<attempt>``): a local sweep can then
#: tell a lease a dead process left (taken over at once) from one a live process holds
PROCESS_ID = uuid.uuid4().hex[:16]


def new_owner() -> str:
    """A fresh owner id for one attempt of this process."""
    return f"{PROCESS_ID}.{uuid.uuid4().hex[:16]}"


def owner_process(owner: object) -> str | None:
    """The process part of an owner id from :func:`new_owner` (None for any other owner)."""
    if not isinstance(owner, str) or "." not in owner:
        return None
    return owner.split(".", 1)[0] or None


def held(record: dict[str, Any] | None, now: datetime) -> bool:
    """Whether a claim or outbox record is taken by an attempt whose lease is still live."""
    if not record or record.get("state") not in ("in_progress", "sending"):
        return False
    until = record.get("lease_until")
    return bool(until) and parse_iso(until) > now


def expires(now: datetime) -> str:
    """The ``expires_at`` value of a claim record written at ``now``."""
    return iso(now + CLAIM_TTL)


class ClaimState(StrEnum):
    ACQUIRED = "acquired"
    BUSY = "busy"
    DONE = "done"


@dataclass(frozen=True)
class Claim:
    """The outcome of :func:`claim`."""

    state: ClaimState
    key: str
    owner: str
    record: dict[str, Any]

    @property
    def acquired(self) -> bool:
        return self.state is ClaimState.ACQUIRED


def decide(
    current: dict[str, Any] | None, owner: str, now: datetime, lease: timedelta
) -> dict[str, Any] | None:
    """Pure rule: the new claim record when ``owner`` may take it, else None."""
    if current is not None:
        if current.get("state") == "done":
            return None
        live = parse_iso(current["lease_until"]) > now if current.get("lease_until") else False
        if live and current.get("owner") != owner:
            return None
    return {
        "state": "in_progress",
        "owner": owner,
        "lease_until": iso(now + lease),
        "claimed_at": iso(now),
        "attempts": int((current or {}).get("attempts", 0)) + 1,
        "expires_at": expires(now),
    }


def claim(
    store: DocumentStore,
    key: str,
    owner: str,
    now: datetime,
    lease: timedelta,
    collection: str = CLAIMS,
) -> Claim:
    """Take ``key`` for ``owner`` until ``now + lease``; one concurrent caller wins."""
    seen: dict[str, Any] = {}

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        seen.clear()
        seen.update(current or {})
        return decide(current, owner, now, lease)

    written = store.transact(collection, key, step)
    if written is not None:
        return Claim(ClaimState.ACQUIRED, key, owner, written)
    state = ClaimState.DONE if seen.get("state") == "done" else ClaimState.BUSY
    return Claim(state, key, owner, dict(seen))


def complete(
    store: DocumentStore,
    key: str,
    owner: str,
    now: datetime,
    result: dict[str, Any] | None = None,
    collection: str = CLAIMS,
) -> bool:
    """Mark ``key`` done if ``owner`` still holds it; False when the lease was lost."""

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if current is None or current.get("owner") != owner or current.get("state") == "done":
            return None
        return {
            **current,
            "state": "done",
            "done_at": iso(now),
            "result": result or {},
            "expires_at": expires(now),
        }

    return store.transact(collection, key, step) is not None


def release(store: DocumentStore, key: str, owner: str, collection: str = CLAIMS) -> bool:
    """Give the claim up after a failure so that a redelivery can take it at once."""

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if current is None or current.get("owner") != owner or current.get("state") == "done":
            return None
        return {**current, "lease_until": None}

    return store.transact(collection, key, step) is not None


def is_done(store: DocumentStore, key: str, collection: str = CLAIMS) -> bool:
    """Whether the work claimed as ``key`` ran to completion."""
    record = store.get(collection, key)
    return bool(record) and record.get("state") == "done"


def run_once(
    store: DocumentStore,
    key: str,
    now: datetime,
    lease: timedelta,
    work: Callable[[], dict[str, Any] | None],
) -> ClaimState:
    """Run ``work`` at most once to completion for ``key``, across retries and instances.

    DONE: it already ran (nothing done). BUSY: another live attempt holds it; the caller
    raises a retryable error so the message comes back. ACQUIRED: ``work`` ran and the claim
    is complete. If ``work`` raises, the claim is released and the error propagates.
    """
    owner = new_owner()
    taken = claim(store, key, owner, now, lease)
    if not taken.acquired:
        return taken.state
    try:
        result = work()
    except BaseException:
        release(store, key, owner)
        raise
    complete(store, key, owner, now, result)
    return ClaimState.ACQUIRED
