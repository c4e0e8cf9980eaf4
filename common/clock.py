"""Clocks: the system clock, and time helpers shared by every module."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds: sorts as text the way it sorts as time."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    """Read back what :func:`iso` (or any ISO 8601 with an offset) wrote."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
