"""The outbox record of one application: the exactly-once state machine.

    pending ─claim─▶ sending (owner, lease) ─▶ sent | drafted | written | failed
       ▲                 │  Gmail refused it (nothing sent) / deferred by the policy
       └─────────────────┘
    drafted ─claim(approve)─▶ sending ─▶ sent          any ─reject─▶ rejected

``submitted_at`` is written *before* the mailer is called. A record left in ``sending`` with
``submitted_at`` set (a crash, a timeout, a lost answer) is never sent again blindly: the next
attempt takes over once the lease has expired (or was released) and first reconciles with the
mailbox. Every change is one transaction on the record (pure rules below).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from common.clock import iso, parse_iso
from common.errors import ConflictError
from common.ports import DocumentStore
from common.store.collections import OUTBOX
from common.store.lease import ClaimState as Take

SENDING = "sending"
OPEN = frozenset({"pending", "deferred"})  # may be claimed for delivery
FINAL = frozenset({"sent", "drafted", "written", "failed", "rejected", "duplicate", "no_contact"})


@dataclass(frozen=True)
class Claimed:
    """The outcome of :func:`claim`; ``record`` is the record as this attempt sees it."""

    take: Take
    record: dict[str, Any]

    @property
    def needs_reconcile(self) -> bool:
        """A previous attempt may have reached the mailer: look before sending."""
        return self.take is Take.ACQUIRED and bool(self.record.get("submitted_at"))


def decide_claim(
    current: dict[str, Any] | None,
    owner: str,
    now: datetime,
    lease: timedelta,
    claimable: frozenset[str],
    purpose: str,
) -> dict[str, Any] | None:
    """Pure rule: the record after ``owner`` takes it, or None when it may not."""
    current = current or {"state": "pending"}
    state = current.get("state")
    if state == SENDING:
        until = current.get("lease_until")
        if until and parse_iso(until) > now and current.get("owner") != owner:
            return None
        if current.get("purpose", "deliver") != purpose:
            return None  # an approval and a delivery never take over each other's attempt
    elif state not in claimable:
        return None
    return {
        **current,
        "state": SENDING,
        "owner": owner,
        "purpose": purpose,
        "lease_until": iso(now + lease),
        "claimed_at": iso(now),
        "attempts": int(current.get("attempts", 0)) + 1,
        "resume_state": current.get("resume_state", state) if state == SENDING else state,
    }


def claim(
    store: DocumentStore,
    app_id: str,
    owner: str,
    now: datetime,
    lease: timedelta,
    claimable: frozenset[str] = OPEN,
    purpose: str = "deliver",
) -> Claimed:
    """Take the record of ``app_id`` for one attempt; one concurrent caller wins."""
    seen: dict[str, Any] = {}

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        seen.clear()
        seen.update(current or {"state": "pending"})
        return decide_claim(current, owner, now, lease, claimable, purpose)

    written = store.transact(OUTBOX, app_id, step)
    if written is not None:
        return Claimed(Take.ACQUIRED, written)
    # another attempt is sending: wait for it, except that a delivery finding an approval in
    # progress has nothing left to do
    sending = seen.get("state") == SENDING
    ours = seen.get("purpose", "deliver") == purpose or purpose != "deliver"
    return Claimed(Take.BUSY if sending and ours else Take.DONE, dict(seen))


def _owned(current: dict[str, Any] | None, owner: str) -> bool:
    return bool(current) and current.get("state") == SENDING and current.get("owner") == owner


def mark_submitting(
    store: DocumentStore, app_id: str, owner: str, now: datetime, facts: dict[str, Any]
) -> None:
    """Record that the mailer is about to be called; ConflictError if the lease was lost."""

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if not _owned(current, owner):
            return None
        return {**current, **facts, "submitted_at": iso(now)}  # type: ignore[dict-item]

    if store.transact(OUTBOX, app_id, step) is None:
        raise ConflictError(f"application {app_id}: lost the delivery lease before sending")


def finish(
    store: DocumentStore, app_id: str, state: str, now: datetime, fields: dict[str, Any]
) -> dict[str, Any]:
    """Record a final outcome. The mailer's answer is the truth: it is written even if the
    lease expired meanwhile (a later attempt would then find the record final)."""
    out: dict[str, Any] = {}

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        current = current or {}
        if current.get("state") in FINAL and current.get("state") == state:
            out.update(current)
            return None
        new = {**current, **fields, "state": state, "owner": None, "lease_until": None}
        new["submitted_at"] = None  # finished: nothing left to reconcile
        new["finished_at"] = iso(now)
        out.update(new)
        return new

    store.transact(OUTBOX, app_id, step)
    return out


def reopen(
    store: DocumentStore,
    app_id: str,
    owner: str,
    now: datetime,
    fields: dict[str, Any],
    *,
    nothing_sent: bool,
    state: str | None = None,
) -> None:
    """Give the record back after an attempt that did not finish.

    ``nothing_sent``: the mailer certainly refused it (or was never called), so the record
    returns to its previous state. Otherwise ``submitted_at`` stays and the lease is released:
    the next attempt reconciles at once instead of waiting for the lease to expire.
    """

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if not _owned(current, owner):
            return None
        new = {**current, **fields, "updated_at": iso(now)}  # type: ignore[dict-item]
        if nothing_sent:
            new.update(state=state or current.get("resume_state", "pending"), owner=None)  # type: ignore[union-attr]
            new.update(lease_until=None, submitted_at=None)
        else:
            new["lease_until"] = None
        return new

    store.transact(OUTBOX, app_id, step)
