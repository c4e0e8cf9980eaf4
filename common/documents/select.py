"""Relevance: which of the profile's facts matter for this job, and in what order.

Deterministic and explainable: a text scores by the posting's requirements it shows (the
requirements the candidate meets, most important first) and, lightly, by the posting's other
content words it shares. Work stays in reverse-chronological order (what recruiters and ATS
expect); relevance picks which highlights, projects and older jobs make the cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from common.analysis.unglue import unglue
from common.documents.facts import words, wordset
from common.documents.profile_index import ProfileIndex
from common.documents.requirements import Match
from common.domain.job import Job

T = TypeVar("T")
STOPWORDS = wordset(
    """about above after again against also among and any are because been before being
    below between both but can could did does doing down during each etc few for from further
    have having here into its just more most must need needs other our out over own same
    should some such than that the their them then there these they this those through under
    until very was were what when where which while who whom will with within without would
    you your work working team teams role experience years strong good great skills"""
)


class Relevance:
    """Scores profile texts against one job (or neutrally, without a job)."""

    def __init__(self, index: ProfileIndex, job: Job | None, match: Match | None) -> None:
        self.index = index
        posting = f"{job.title}\n{unglue(job.description)}".lower() if job else ""
        self.posting = posting
        ranked = match.requirements if match else []
        #: requirement key -> weight (the first requirements weigh most)
        self.weights = {r.key: 3.0 - min(2.0, 0.25 * i) for i, r in enumerate(ranked)}
        self.posting_words = {
            w for w in words(posting) if len(w) > 3 and w not in STOPWORDS and not w.isdigit()
        }

    def score(self, text: str) -> float:
        """Higher is more relevant: up to 3 per requirement shown, 0.5 per shared content
        word (at most 3)."""
        shown = self.index.skills_of(text) if self.weights else frozenset()
        shared = len(self.posting_words & self.index.words_of(text)) if self.posting_words else 0
        return sum(self.weights.get(k, 0.0) for k in shown) + min(3.0, 0.5 * shared)


def top(items: Sequence[T], key: Callable[[T], float], limit: int, keep: int = 0) -> list[T]:
    """The ``limit`` best items by ``key`` (stable), always including the first ``keep``."""
    ranked = sorted(range(len(items)), key=lambda i: (i >= keep, -key(items[i]), i))
    return [items[i] for i in sorted(ranked[:limit])]


def by_relevance(items: Sequence[T], key: Callable[[T], float]) -> list[T]:
    """``items`` most relevant first (stable for ties)."""
    return sorted(items, key=lambda item: -key(item))


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month(value: str | None, numeric: bool = False) -> str:
    """``2021-03-01`` -> ``Mar 2021`` (or ``03/2021``); a bare year stays a year; anything
    else as written."""
    if not value:
        return ""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-\d{2})?", value.strip())
    if not m:
        return value.strip()
    year, mon = m.group(1), m.group(2)
    if not (mon and 1 <= int(mon) <= 12):
        return year
    return f"{mon}/{year}" if numeric else f"{_MONTHS[int(mon) - 1]} {year}"


def span(
    start: str | None, end: str | None, open_end: bool = True, present: str = "Present"
) -> str:
    """``Mar 2021 – Present`` / ``Jan 2018 – Feb 2021`` / ``2017``; in another language than
    English, ``03/2021 – heute``."""
    numeric = present != "Present"
    if not start:
        return month(end, numeric)
    tail = month(end, numeric) if end else (present if open_end else "")
    return f"{month(start, numeric)} – {tail}".rstrip(" –")
