"""Posting dates, relative ones resolved against the run's finish time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from common.normalize.dates import parse_posted

FINISHED = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13 hours ago", date(2026, 11, 25)),
        ("4 hours ago", date(2026, 11, 26)),
        ("Today", date(2026, 11, 26)),
        ("Just posted", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 25)),
        ("2 days ago", date(2026, 11, 24)),
        ("30+ days ago", date(2026, 10, 27)),
        ("1 week ago", date(2026, 11, 19)),
        ("a month ago", date(2026, 10, 27)),
        ("Posted 3 days ago", date(2026, 11, 23)),
        ("2025-07-09", date(2025, 7, 9)),
        ("2022-05-18T15:47:32.948Z", date(2022, 5, 18)),
        (1764000000000, date(2025, 11, 24)),
        ("1764000000000", date(2025, 11, 24)),
    ],
)
def test_posted(value: object, expected: date) -> None:
    assert parse_posted(value, FINISHED) == expected


@pytest.mark.parametrize("value", ["", None, "soon", "2026-13-45", True, [], {}, -5, 1e300])
def test_unreadable_is_none(value: object) -> None:
    assert parse_posted(value, FINISHED) is None
