"""A circuit breaker per external service, its state shared by every function instance.

The state is one document per service in the ``breakers`` collection, changed only through
``DocumentStore.transact`` (SQLite ``BEGIN IMMEDIATE`` / a Firestore transaction):

    {"state": "closed" | "open" | "half_open",
     "buckets": [{"t": start_epoch, "ok": n, "fail": n}, ...],  # the sliding window
     "open_until": iso | None, "trial_owner": str | None, "trial_until": iso | None,
     "last_success": iso | None, "last_error": iso | None, "last_error_type": str | None}

* closed: calls go through; each outcome lands in a bucket of the sliding window. Once the
  window holds ``min_calls`` calls and the failed share reaches ``failure_rate``, it opens.
* open: calls are refused with :class:`common.errors.CircuitOpen` until ``open_until``.
* half-open: one caller wins the trial (a transaction); everybody else is refused. The trial's
  success closes the breaker (window cleared); its failure opens it again. A trial whose
  outcome never arrives (the instance died) is given up after ``trial_timeout_seconds``.

Only outages count (:func:`common.errors.is_outage`): a business error such as a 400 proves
the service answers, so it does not count in the window and closes a half-open breaker.
The rules are pure functions of (document, time, settings); :class:`Breaker` applies them.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from common.clock import iso, parse_iso
from common.errors import CircuitOpen
from common.log_fields import emit
from common.logging import get_logger
from common.ports import Clock, DocumentStore
from common.settings import Breaker as BreakerSettings
from common.store.collections import BREAKERS

Doc = dict[str, Any]
log = get_logger("breaker")


class State(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class Outcome(StrEnum):
    """What a call told us about the service."""

    SUCCESS = "success"
    BUSINESS_ERROR = "business_error"  # the service answered "no": not an outage
    FAILURE = "failure"  # an outage: timeout, 429, 5xx, transport error
    ABANDONED = "abandoned"  # no verdict (our own refusal, an interrupt): frees a trial


def _bucket_seconds(cfg: BreakerSettings) -> int:
    return max(1, cfg.window_seconds // 10)


def _empty() -> Doc:
    return {
        "state": State.CLOSED.value,
        "buckets": [],
        "open_until": None,
        "trial_owner": None,
        "trial_until": None,
        "last_success": None,
        "last_error": None,
        "last_error_type": None,
    }


def state_of(doc: Doc | None) -> State:
    """The stored state (closed when there is no document)."""
    return State((doc or {}).get("state") or State.CLOSED.value)


def _live_buckets(doc: Doc, now: datetime, cfg: BreakerSettings) -> list[dict[str, int]]:
    oldest = now.timestamp() - cfg.window_seconds
    return [dict(b) for b in doc.get("buckets") or [] if b["t"] + _bucket_seconds(cfg) > oldest]


def admit(
    doc: Doc | None, owner: str, now: datetime, cfg: BreakerSettings
) -> tuple[Doc | None, float | None]:
    """Pure rule for a call about to be made.

    Returns ``(new_doc, refused_for)``: ``new_doc`` is the document to write (None: no
    change), ``refused_for`` is None when the call may go ahead, else the seconds to wait.
    """
    state = state_of(doc)
    if state is State.CLOSED:
        return None, None
    assert doc is not None
    if state is State.OPEN:
        until = parse_iso(doc["open_until"])
        if now < until:
            return None, (until - now).total_seconds()
    elif doc.get("trial_until") and parse_iso(doc["trial_until"]) > now:
        return None, (parse_iso(doc["trial_until"]) - now).total_seconds()
    trial = {
        **doc,
        "state": State.HALF_OPEN.value,
        "trial_owner": owner,
        "trial_until": iso(now + timedelta(seconds=cfg.trial_timeout_seconds)),
    }
    return trial, None


def record(
    doc: Doc | None,
    owner: str,
    outcome: Outcome,
    now: datetime,
    cfg: BreakerSettings,
    error_type: str | None = None,
) -> Doc:
    """Pure rule: the document after a call by ``owner`` ended with ``outcome``.

    Buckets are ``window_seconds / 10`` wide: the window slides in tenths.
    """
    new = {**_empty(), **(doc or {})}
    stamp = iso(now)
    own_trial = state_of(new) is State.HALF_OPEN and new.get("trial_owner") == owner
    if outcome is Outcome.ABANDONED:
        return {**new, "trial_owner": None, "trial_until": None} if own_trial else new
    if outcome is Outcome.FAILURE:
        new["last_error"], new["last_error_type"] = stamp, error_type
    else:
        new["last_success"] = stamp
    state = state_of(new)
    if own_trial:
        if outcome is Outcome.FAILURE:
            return _opened(new, now, cfg)
        return {
            **new,
            "state": State.CLOSED.value,
            "buckets": [],
            "trial_owner": None,
            "trial_until": None,
            "open_until": None,
        }
    if state is not State.CLOSED or outcome is Outcome.BUSINESS_ERROR:
        return new  # a late answer of a call admitted before the breaker opened
    buckets = _live_buckets(new, now, cfg)
    start = int(now.timestamp()) // _bucket_seconds(cfg) * _bucket_seconds(cfg)
    if not buckets or buckets[-1]["t"] != start:
        buckets.append({"t": start, "ok": 0, "fail": 0})
    buckets[-1]["ok" if outcome is Outcome.SUCCESS else "fail"] += 1
    new["buckets"] = buckets
    calls = sum(b["ok"] + b["fail"] for b in buckets)
    failures = sum(b["fail"] for b in buckets)
    if calls >= cfg.min_calls and failures / calls >= cfg.failure_rate:
        return _opened(new, now, cfg)
    return new


def _opened(doc: Doc, now: datetime, cfg: BreakerSettings) -> Doc:
    return {
        **doc,
        "state": State.OPEN.value,
        "buckets": [],
        "open_until": iso(now + timedelta(seconds=cfg.open_seconds)),
        "opened_at": iso(now),
        "trial_owner": None,
        "trial_until": None,
    }


@dataclass(frozen=True)
class Ticket:
    """One admitted call; pass it back to :meth:`Breaker.report`."""

    service: str
    owner: str


class Breaker:
    """The breakers of every service, over one store (shared by all instances)."""

    def __init__(self, store: DocumentStore, clock: Clock, settings: BreakerSettings) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings

    def get(self, service: str) -> Doc:
        """The breaker document of ``service`` (a closed, empty one when never used)."""
        return {**_empty(), **(self.store.get(BREAKERS, service) or {})}

    def before(self, service: str) -> Ticket:
        """Admit a call or raise :class:`CircuitOpen`. A closed breaker costs one read."""
        owner = uuid.uuid4().hex
        now = self.clock.now()
        current = self.store.get(BREAKERS, service)
        new, refused = admit(current, owner, now, self.settings)
        if refused is not None:
            raise CircuitOpen(service, retry_after=refused)
        if new is None:
            return Ticket(service, owner)
        seen: dict[str, Any] = {"refused": None, "state": state_of(current)}

        def step(doc: Doc | None) -> Doc | None:
            changed, wait = admit(doc, owner, now, self.settings)
            seen["refused"], seen["state"] = wait, state_of(doc)
            return changed

        written = self.store.transact(BREAKERS, service, step)
        if seen["refused"] is not None:
            raise CircuitOpen(service, retry_after=seen["refused"])
        if written is not None:
            _transition(service, seen["state"], state_of(written))
        return Ticket(service, owner)

    def report(self, ticket: Ticket, outcome: Outcome, error_type: str | None = None) -> State:
        """Record the outcome of an admitted call; returns the breaker's new state.

        A store error propagates (the guard logs it: the call itself already happened)."""
        now = self.clock.now()
        before: list[State] = []

        def step(doc: Doc | None) -> Doc:
            before[:] = [state_of(doc)]
            return record(doc, ticket.owner, outcome, now, self.settings, error_type)

        written = self.store.transact(BREAKERS, ticket.service, step)
        after = state_of(written)
        if before:
            _transition(ticket.service, before[0], after, error_type)
        return after


def _transition(service: str, old: State, new: State, error_type: str | None = None) -> None:
    """Log a state change (a ``breaker_transition`` event: the dashboard counts openings)."""
    if old is new:
        return
    emit(
        log,
        "breaker_transition",
        "breaker %s: %s -> %s",
        service,
        old.value,
        new.value,
        level=logging.WARNING if new is State.OPEN else logging.INFO,
        service=service,
        from_state=old.value,
        to_state=new.value,
        error_type=error_type if new is State.OPEN else None,
    )
