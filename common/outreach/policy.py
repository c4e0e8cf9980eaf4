"""The sending policy: what may be sent now, and what must wait or never go.

* never two applications for the same job or its reposts (keyed by the root job);
* never the same role to the same address twice;
* a per-company cooldown;
* a daily cap over a rolling 24 hours (kept below Gmail's own limits);
* quiet hours in the candidate's time zone;
* a pause after Gmail's ``dailyLimitExceeded`` or mailbox sending limit (429 "(Mail
  sending)") until the window and Gmail's retry time allow.

Rules are pure functions; reservations are single-document transactions in the ledger
collection, keyed by application id so that every retry of one application is idempotent.
A deferred application gets a ``not_before`` time and waits; it is never dropped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from common.clock import iso, parse_iso
from common.domain.preferences import Sending
from common.ports import DocumentStore
from common.store.collections import LEDGER

WINDOW = timedelta(hours=24)
WINDOW_DOC = "window"


@dataclass(frozen=True)
class Verdict:
    """The policy's answer for one application."""

    allowed: bool
    reason: str = ""
    not_before: datetime | None = None
    duplicate_of: str | None = None

    @classmethod
    def ok(cls) -> Verdict:
        return cls(True)


def _key(*parts: str) -> str:
    text = "|".join(" ".join(re.sub(r"[^\w@.]+", " ", p.lower()).split()) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def role_key(recipient: str, title: str) -> str:
    """The same role to the same address: one key, however the title is spaced or cased."""
    return "role:" + _key(recipient, title)


def company_key(company: str) -> str:
    """The cooldown key of a company."""
    return "company:" + _key(company)


def quiet_until(now: datetime, sending: Sending) -> datetime | None:
    """The end of the current quiet period (UTC), or None when sending is allowed now."""
    quiet = sending.quiet_hours
    if quiet is None or quiet.start == quiet.end:
        return None
    local = now.astimezone(ZoneInfo(sending.timezone))
    hour = local.hour
    inside = (
        (quiet.start <= hour < quiet.end)
        if quiet.start < quiet.end
        else (hour >= quiet.start or hour < quiet.end)
    )
    if not inside:
        return None
    zone = ZoneInfo(sending.timezone)
    day = local.date() if hour < quiet.end else local.date() + timedelta(days=1)
    end = datetime(day.year, day.month, day.day, quiet.end, tzinfo=zone)
    return end.astimezone(now.tzinfo)


def window_decision(
    doc: dict[str, Any] | None, app_id: str, now: datetime, cap: int
) -> tuple[dict[str, Any] | None, Verdict]:
    """Pure rule of the rolling 24 h cap: the new window document and the verdict."""
    doc = dict(doc or {})
    paused = doc.get("paused_until")
    if paused and parse_iso(paused) > now:
        reason = f"Gmail sending paused ({doc.get('pause_reason', 'limit')})"
        return None, Verdict(False, reason, parse_iso(paused))
    cutoff = now - WINDOW
    sends = [s for s in doc.get("sends", []) if parse_iso(s["at"]) > cutoff]
    if any(s["app"] == app_id for s in sends):
        return None, Verdict.ok()
    if len(sends) >= cap:
        oldest = min((parse_iso(s["at"]) for s in sends), default=now)  # a cap of 0: a day
        reason = f"daily cap of {cap} sends in 24 hours reached"
        return None, Verdict(False, reason, oldest + WINDOW)
    sends.append({"app": app_id, "at": iso(now)})
    return {**doc, "sends": sends, "paused_until": None}, Verdict.ok()


def cooldown_decision(
    doc: dict[str, Any] | None, app_id: str, now: datetime, days: int
) -> tuple[dict[str, Any] | None, Verdict]:
    """Pure rule of the per-company cooldown."""
    if doc and doc.get("app") == app_id:
        return None, Verdict.ok()
    if doc and days > 0:
        until = parse_iso(doc["at"]) + timedelta(days=days)
        if until > now:
            return None, Verdict(False, f"company cooldown of {days} days", until)
    previous = {k: v for k, v in doc.items() if k != "previous"} if doc else None
    return {"app": app_id, "at": iso(now), "previous": previous}, Verdict.ok()


def _reserve(store: DocumentStore, key: str, rule) -> Verdict:  # type: ignore[no-untyped-def]
    verdict: list[Verdict] = []

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        new, answer = rule(current)
        verdict[:] = [answer]
        return new

    store.transact(LEDGER, key, step)
    return verdict[0]


def claim_unique(store: DocumentStore, key: str, app_id: str, now: datetime) -> str | None:
    """Own ``key`` for ``app_id``; returns the other application holding it, if any."""
    holder: list[str] = []

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        holder[:] = [current["app"]] if current else []
        return None if current else {"app": app_id, "at": iso(now)}

    store.transact(LEDGER, key, step)
    return holder[0] if holder and holder[0] != app_id else None


def check_unique(
    store: DocumentStore, app_id: str, root_job: str, recipient: str, title: str, now: datetime
) -> Verdict:
    """Never two applications for one job (or its reposts), nor one role to one address twice."""
    for key, what in (
        (f"job:{root_job}", "this job or a repost of it"),
        (role_key(recipient, title), "the same role at the same address"),
    ):
        other = claim_unique(store, key, app_id, now)
        if other:
            return Verdict(False, f"already applied to {what}", duplicate_of=other)
    return Verdict.ok()


def reserve_send(
    store: DocumentStore, app_id: str, company: str, now: datetime, sending: Sending
) -> Verdict:
    """Quiet hours, then the company cooldown, then a slot in the rolling window."""
    until = quiet_until(now, sending)
    if until is not None:
        return Verdict(False, f"quiet hours in {sending.timezone}", until)
    ckey = company_key(company)
    verdict = _reserve(
        store, ckey, lambda d: cooldown_decision(d, app_id, now, sending.company_cooldown_days)
    )
    if not verdict.allowed:
        return verdict
    verdict = reserve_window(store, app_id, now, sending.daily_cap)
    if not verdict.allowed:
        _undo_cooldown(store, ckey, app_id)
    return verdict


def reserve_window(store: DocumentStore, app_id: str, now: datetime, cap: int) -> Verdict:
    """A slot in the rolling 24 h window (refused while Gmail sending is paused)."""
    return _reserve(store, WINDOW_DOC, lambda d: window_decision(d, app_id, now, cap))


def _undo_cooldown(store: DocumentStore, key: str, app_id: str) -> None:
    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if not current or current.get("app") != app_id:
            return None
        return current.get("previous") or {"app": None, "at": "1970-01-01T00:00:00.000000Z"}

    store.transact(LEDGER, key, step)


def release_send(store: DocumentStore, app_id: str, company: str) -> None:
    """Give back the window slot and cooldown of a send Gmail refused (nothing was sent)."""
    release_window(store, app_id)
    _undo_cooldown(store, company_key(company), app_id)


def release_window(store: DocumentStore, app_id: str) -> None:
    """Give back the window slot ``app_id`` took (nothing was sent)."""

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if not current or not any(s["app"] == app_id for s in current.get("sends", [])):
            return None
        return {**current, "sends": [s for s in current["sends"] if s["app"] != app_id]}

    store.transact(LEDGER, WINDOW_DOC, step)


def pause_sending(
    store: DocumentStore, now: datetime, reason: str, at_least: datetime | None = None
) -> datetime:
    """After Gmail's daily or mailbox sending limit: no send until the oldest send in the
    window is 24 h old, nor before ``at_least`` (Gmail's own "Retry after", which also counts
    mail sent by hand)."""
    until: list[datetime] = []

    def step(current: dict[str, Any] | None) -> dict[str, Any]:
        doc = dict(current or {})
        sends = [
            parse_iso(s["at"]) for s in doc.get("sends", []) if parse_iso(s["at"]) > now - WINDOW
        ]
        moment = (min(sends) + WINDOW) if sends else now + WINDOW
        if at_least is not None and at_least > moment:
            moment = at_least
        until[:] = [moment]
        return {**doc, "paused_until": iso(moment), "pause_reason": reason}

    store.transact(LEDGER, WINDOW_DOC, step)
    return until[0]


def sends_in_window(store: DocumentStore, now: datetime) -> int:
    """How many sends the rolling 24 h window holds now."""
    doc = store.get(LEDGER, WINDOW_DOC) or {}
    return sum(1 for s in doc.get("sends", []) if parse_iso(s["at"]) > now - WINDOW)
