"""The one wrapper adapters put around every external call: breaker + audit (+ retry).

Usage in an adapter (SDK errors translated to autoapply errors *inside* the guarded block)::

    # a call whose client does not retry, bounded in time (apify-client dataset pages)
    page = guard.call("apify", "datasets.items", read_once, retry=True, deadline=deadline)

    # SDK that retries itself (apify-client runs), or a call never repeated in-process
    # (a Gmail send; a Gemini call, which redelivery retries)
    with guard.attempt("gmail", "send", ids={"application_id": app.id}):
        sent = self._send(raw)

Each attempt is admitted by the service's circuit breaker (:class:`common.errors.CircuitOpen`
when open: Pub/Sub handlers let it propagate so the message comes back later), reported to
it, and audited once. ``Guard.off()`` is a guard that only audits to the log (tests, CLI).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TypeVar

from common.errors import AutoapplyError, CircuitOpen, PermanentError, is_outage
from common.logging import get_logger
from common.ports import Clock, DocumentStore
from common.resilience.audit import AuditTrail, Ids, audit_record, clean_ids
from common.resilience.breaker import Breaker, Outcome, Ticket
from common.resilience.retry import Sleep, call_with_retry
from common.settings import Resilience

T = TypeVar("T")
log = get_logger("guard")


def outcome_of(exc: BaseException | None) -> Outcome:
    """How an exception (or None) counts for the breaker."""
    if exc is None:
        return Outcome.SUCCESS
    if is_outage(exc):
        return Outcome.FAILURE
    if isinstance(exc, PermanentError):
        return Outcome.BUSINESS_ERROR
    return Outcome.ABANDONED  # a nested CircuitOpen, a local budget, an interrupt


class Guard:
    """Circuit breakers, audit trail and the retry policy, for one store and clock."""

    def __init__(
        self,
        store: DocumentStore | None,
        clock: Clock,
        settings: Resilience,
        *,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.clock = clock
        self.settings = settings
        self.sleep = sleep
        self.breaker = Breaker(store, clock, settings.breaker) if store is not None else None
        audit_store = store if settings.audit else None
        self.audit = AuditTrail(audit_store, timedelta(days=settings.audit_ttl_days))

    @classmethod
    def off(cls, clock: Clock | None = None) -> Guard:
        """No breaker and no stored audit: for unit tests and one-off local commands."""
        from common.clock import SystemClock

        return cls(None, clock or SystemClock(), Resilience(audit=False))

    @contextmanager
    def attempt(self, service: str, operation: str, *, ids: Ids | None = None) -> Iterator[None]:
        """One call: admitted by the breaker, reported to it, audited. No retry."""
        clean_ids(ids)  # refuse text posing as ids before anything is sent
        started = time.perf_counter()
        at = self.clock.now()
        try:
            ticket = self._admit(service)
        except CircuitOpen as exc:
            self._audit(service, operation, "circuit_open", started, at, ids, exc)
            raise
        try:
            yield
        except BaseException as exc:
            outcome = outcome_of(exc)
            self._report(ticket, outcome, type(exc).__name__)
            self._audit(service, operation, outcome.value, started, at, ids, exc)
            raise
        self._report(ticket, Outcome.SUCCESS, None)
        self._audit(service, operation, Outcome.SUCCESS.value, started, at, ids, None)

    def call(
        self,
        service: str,
        operation: str,
        fn: Callable[[], T],
        *,
        ids: Ids | None = None,
        retry: bool = False,
        deadline: float | None = None,
    ) -> T:
        """``fn()`` under :meth:`attempt`; with ``retry`` each attempt under the retry policy,
        no retry waiting past ``deadline`` (a ``time.monotonic()`` time)."""

        def once() -> T:
            with self.attempt(service, operation, ids=ids):
                return fn()

        if not retry:
            return once()
        return call_with_retry(once, self.settings.retry, sleep=self.sleep, deadline=deadline)

    def _admit(self, service: str) -> Ticket | None:
        return self.breaker.before(service) if self.breaker else None

    def _report(self, ticket: Ticket | None, outcome: Outcome, error_type: str | None) -> None:
        """Tell the breaker; a store error is logged, never raised (the call already ran:
        raising now would hide its result, or its own error)."""
        if not (self.breaker and ticket):
            return
        try:
            self.breaker.report(ticket, outcome, error_type)
        except AutoapplyError as exc:
            log.warning("breaker %s not updated: %s", ticket.service, type(exc).__name__)

    def _audit(
        self,
        service: str,
        operation: str,
        outcome: str,
        started: float,
        at: datetime,
        ids: Ids | None,
        exc: BaseException | None,
    ) -> None:
        self.audit.write(
            audit_record(
                service=service,
                operation=operation,
                outcome=outcome,
                latency_ms=(time.perf_counter() - started) * 1000,
                at=at,
                ttl=self.audit.ttl,
                ids=ids,
                error_type=type(exc).__name__ if exc else None,
            )
        )
