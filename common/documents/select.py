"""Relevance: which of the profile's facts matter for this job, and in what order.

Deterministic and explainable: a text scores by the job's terms it mentions (skills of the
profile the posting names, and the analysis' matches) and, lightly, by the posting's other
content words it shares. Work stays in reverse-chronological order (what recruiters and ATS
expect); relevance picks which highlights, projects and older jobs make the cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from common.documents.facts import has_phrase, profile_strings, words, wordset
from common.domain.analysis import Analysis
from common.domain.candidate import Profile, Work
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

    def __init__(self, profile: Profile, job: Job | None, analysis: Analysis | None) -> None:
        posting = f"{job.title}\n{job.description}".lower() if job else ""
        self.posting = posting
        candidates = [s.name for s in profile.skills]
        candidates += [k for s in profile.skills for k in s.keywords]
        candidates += [k for p in profile.projects for k in p.keywords]
        named = [t for t in dict.fromkeys(candidates) if posting and has_phrase(posting, t.lower())]
        # an analyzer (a model) may call a skill matched that the profile does not hold
        corpus = "\n".join(profile_strings(profile)).lower()
        matched = [
            t for t in (analysis.matched if analysis else []) if has_phrase(corpus, t.lower())
        ]
        #: the job's terms the candidate holds, most prominent in the posting first
        self.terms = sorted(
            dict.fromkeys([*matched, *named]),
            key=lambda t: posting.find(t.lower()) if t.lower() in posting else len(posting),
        )
        self.posting_words = {
            w for w in words(posting) if len(w) > 3 and w not in STOPWORDS and not w.isdigit()
        }

    def terms_in(self, text: str) -> list[str]:
        """The job's terms that ``text`` mentions."""
        low = text.lower()
        return [t for t in self.terms if has_phrase(low, t.lower())]

    def score(self, text: str) -> float:
        """Higher is more relevant: 3 per job term, 0.5 per shared content word (max 3)."""
        shared = len(self.posting_words & set(words(text.lower())))
        return 3 * len(self.terms_in(text)) + min(3.0, 0.5 * shared)


def top(items: Sequence[T], key: Callable[[T], float], limit: int, keep: int = 0) -> list[T]:
    """The ``limit`` best items by ``key`` (stable), always including the first ``keep``."""
    ranked = sorted(range(len(items)), key=lambda i: (i >= keep, -key(items[i]), i))
    return [items[i] for i in sorted(ranked[:limit])]


def by_relevance(items: Sequence[T], key: Callable[[T], float]) -> list[T]:
    """``items`` most relevant first (stable for ties)."""
    return sorted(items, key=lambda item: -key(item))


def newest_first(work: Sequence[Work]) -> list[Work]:
    """Work entries in reverse-chronological order (current jobs first)."""
    return sorted(
        work, key=lambda w: (w.endDate is None, w.endDate or "", w.startDate or ""), reverse=True
    )


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month(value: str | None) -> str:
    """``2021-03-01`` -> ``Mar 2021``; a bare year stays a year; anything else as written."""
    if not value:
        return ""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-\d{2})?", value.strip())
    if not m:
        return value.strip()
    year, mon = m.group(1), m.group(2)
    return f"{_MONTHS[int(mon) - 1]} {year}" if mon and 1 <= int(mon) <= 12 else year


def span(start: str | None, end: str | None, open_end: bool = True) -> str:
    """``Mar 2021 – Present`` / ``Jan 2018 – Feb 2021`` / ``2017``."""
    if not start:
        return month(end)
    return f"{month(start)} – {month(end) if end else ('Present' if open_end else '')}".rstrip(" –")
