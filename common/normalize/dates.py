"""Posting dates: ISO strings, epoch milliseconds and relative text against a reference time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

_RELATIVE = re.compile(r"(\d+|an?|one)\+?\s*(minute|min|hour|hr|day|week|month|year)s?\s+ago", re.I)
_UNIT_DAYS = {
    "minute": 1 / 1440,
    "min": 1 / 1440,
    "hour": 1 / 24,
    "hr": 1 / 24,
    "day": 1,
    "week": 7,
    "month": 30,
    "year": 365,
}
_TODAY = re.compile(r"\b(today|just posted|just now|new|heute)\b", re.I)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)


def _from_epoch(value: float) -> date | None:
    seconds = value / 1000 if value > 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def parse_posted(value: Any, now: datetime) -> date | None:
    """The posting date from ``value``; relative text ("13 hours ago", "Today", "30+ days
    ago") is resolved against ``now`` (the run's finish time). None when unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value)) if value > 0 else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    if text.isdigit():
        return _from_epoch(float(text))
    if _YESTERDAY.search(text):
        return (now - timedelta(days=1)).date()
    match = _RELATIVE.search(text)
    if match:
        count = 1 if not match.group(1).isdigit() else int(match.group(1))
        days = min(count * _UNIT_DAYS[match.group(2).lower()], 36500)
        return (now - timedelta(days=days)).date()
    if _TODAY.search(text):
        return now.date()
    return None
