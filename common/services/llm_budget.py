"""The shared Gemini budget: requests per minute and per day, and a 429's cool-down.

The counters live in one document of the document store (``budgets/gemini``), changed in a
transaction, so every function instance spends from the same budget. When it is used up,
:meth:`LlmBudget.reserve` raises :class:`BudgetExhausted` with the seconds to wait: the job is
redelivered later, never dropped. Windows are UTC minutes and UTC days.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from common.clock import iso, parse_iso
from common.errors import BudgetExhausted
from common.log_fields import emit
from common.logging import get_logger
from common.ports import Clock, DocumentStore
from common.settings import Gemini
from common.store.collections import BUDGETS

DOC_ID = "gemini"
log = get_logger("llm_budget")


class LlmBudget:
    """Spend-before-call accounting for one model budget."""

    def __init__(self, store: DocumentStore, clock: Clock, limits: Gemini) -> None:
        self.store = store
        self.clock = clock
        self.limits = limits

    def reserve(self) -> None:
        """Count one call, or raise BudgetExhausted (with ``retry_after``) without counting."""
        now = self.clock.now()
        minute, day = now.strftime("%Y-%m-%dT%H:%M"), now.date().isoformat()
        refusal: list[tuple[str, float, str]] = []
        today = {"count": 0}

        def step(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            refusal.clear()
            doc = dict(doc or {})
            per_minute = doc.get("minute_count", 0) if doc.get("minute") == minute else 0
            per_day = doc.get("day_count", 0) if doc.get("day") == day else 0
            today["count"] = per_day
            blocked = doc.get("blocked_until")
            if blocked and blocked > iso(now):
                wait = (parse_iso(blocked) - now).total_seconds()
                refusal.append(("Gemini asked to wait (429 RetryInfo)", wait, "cooldown"))
                return None
            if per_day >= self.limits.requests_per_day:
                tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
                wait = (tomorrow.replace(tzinfo=now.tzinfo) - now).total_seconds()
                used = f"daily budget of {self.limits.requests_per_day} used"
                refusal.append((used, wait, "day"))
                return None
            if per_minute >= self.limits.requests_per_minute:
                used = f"per-minute budget of {self.limits.requests_per_minute} used"
                refusal.append((used, 60 - now.second, "minute"))
                return None
            today["count"] = per_day + 1
            doc.update(minute=minute, minute_count=per_minute + 1, day=day, day_count=per_day + 1)
            return doc

        self.store.transact(BUDGETS, DOC_ID, step)
        if refusal:
            why, wait, scope = refusal[0]
            self._log(now, today["count"], scope)
            raise BudgetExhausted(f"Gemini budget: {why}; retry in {wait:.0f}s", retry_after=wait)
        self._log(now, today["count"], None)

    def _log(self, now: datetime, count: int, refused: str | None) -> None:
        """An ``llm_budget`` event (``refused``: day, minute or cooldown): the dashboard's
        budget use and the "exhausted before noon" alert count these."""
        limit = self.limits.requests_per_day
        outcome = "exhausted" if refused else "reserved"
        emit(
            log,
            "llm_budget",
            "gemini budget %s (%d of %d today)",
            outcome,
            count,
            limit,
            level=logging.WARNING if refused else logging.INFO,
            outcome=outcome,
            scope=refused,
            day_count=count,
            requests_per_day=limit,
            day_used_pct=round(100 * count / limit, 1) if limit else 100.0,
            before_noon=now.hour < 12,
        )

    def cool_down(self, seconds: float | None) -> None:
        """After a 429: no instance calls again for ``seconds`` (default 60)."""
        until = iso(self.clock.now() + timedelta(seconds=seconds if seconds else 60))

        def step(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            doc = dict(doc or {})
            if doc.get("blocked_until", "") >= until:
                return None
            doc["blocked_until"] = until
            return doc

        self.store.transact(BUDGETS, DOC_ID, step)

    def usage(self) -> dict[str, Any]:
        """The stored counters (for the CLI and health)."""
        return self.store.get(BUDGETS, DOC_ID) or {}
