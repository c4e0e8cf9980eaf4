"""Years of professional experience from the work history: one computation for everyone.

The scorer compares them with what a posting demands; the resume and the letter state them.
Overlapping jobs count once; an entry without an end date runs until ``today``; a date is
``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a missing month or day is the first).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from common.domain.candidate import Work

_DATE_PARTS = re.compile(r"\d+")


def parse_date(value: str | None, default: date) -> date:
    """``2021``, ``2021-03`` or ``2021-03-15`` as a date; ``default`` when absent or unreadable."""
    if not value:
        return default
    parts = [int(p) for p in _DATE_PARTS.findall(value)[:3]]
    try:
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (IndexError, ValueError):
        return default


def years_of_experience(work: Iterable[Work], today: date) -> float:
    """Years covered by the work entries that have a start date (overlaps counted once)."""
    spans = sorted(
        (parse_date(w.startDate, today), min(parse_date(w.endDate, today), today))
        for w in work
        if w.startDate
    )
    total, end_seen = 0.0, None
    for start, end in spans:
        if end_seen and start < end_seen:
            start = end_seen
        if end > start:
            total += (end - start).days / 365.25
            end_seen = max(end, end_seen or end)
    return total


#: dates are often months only: "2018-07" to "2023-07" is five years, not 4.999
_TOLERANCE = 1 / 24


def whole_years(work: Iterable[Work], today: date) -> int:
    """The years a document may state: completed years (5.9 -> 5), within half a month."""
    return math.floor(years_of_experience(work, today) + _TOLERANCE)


def years_short(demanded: float, years: float) -> float:
    """How many years ``years`` of experience fall short of ``demanded`` (0 when they meet
    it within half a month: the letter's "five years" meets a posting's "5+ years")."""
    return demanded - years if demanded > years + _TOLERANCE else 0.0
