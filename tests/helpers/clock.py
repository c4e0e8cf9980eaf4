"""A clock the test moves by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass
class FakeClock:
    """:class:`common.ports.Clock` fixed at ``at`` until ``advance`` is called."""

    at: datetime = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)
