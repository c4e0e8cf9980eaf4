"""Hard filters from ``autoapply.yaml``: a job that fails one is never scored or applied to.

Each check returns the rule's name (the ``filters.<key>`` it comes from) and a reason, so the
stored analysis says exactly which rule stopped the job. Unknown facts (no pay stated, no
location, no date) never filter: a filter only acts on what the posting says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from common.analysis.lexicon import SENIORITY_WORDS, TITLE_PHRASES
from common.domain.job import Job
from common.domain.preferences import Filters, SalaryFloor
from common.normalize import places

#: hours of work per interval, to compare pay stated per hour/day/week/month with a floor
_HOURS = {"hourly": 1, "daily": 8, "weekly": 40, "monthly": 2080 / 12, "yearly": 2080}


@dataclass(frozen=True)
class Filtered:
    """The rule that filtered a job, and why."""

    rule: str
    reason: str


def words(text: str) -> str:
    """Lower-cased text with single spaces, for whole-word matching."""
    return " " + re.sub(r"[^\w+#./-]+", " ", text.lower()).strip() + " "


def has_phrase(phrase: str, haystack: str) -> bool:
    """Whether ``phrase`` occurs as whole words in ``haystack`` (already passed through words)."""
    p = words(phrase).strip()
    return bool(p) and re.search(rf"(?<![\w+#]){re.escape(p)}(?![\w+#])", haystack) is not None


_LEVEL_RX = re.compile(
    r"(?<![\w+#])(" + "|".join(re.escape(w) for w in SENIORITY_WORDS) + r")(?![\w+#])"
)
_LEVEL_RANK = {w: i for i, w in enumerate(SENIORITY_WORDS)}


@lru_cache(maxsize=256)
def title_text(title: str) -> str:
    """:func:`words` of a title with known phrases rewritten ("member of technical staff");
    the last answers kept: the ranker reads a title's role, specialization and level apart."""
    text = words(title)
    for phrase, replacement in TITLE_PHRASES.items():
        text = text.replace(f" {phrase} ", f" {replacement} ")
    return text


def seniority_of(job: Job) -> str | None:
    """The job's seniority on the ladder (intern .. director), from its title, then the actor;
    when several words match, the one listed first in SENIORITY_WORDS wins. A word that says
    nothing (LinkedIn's catch-all "Mid-Senior level") gives None."""
    for text in (title_text(job.title), words(job.seniority or "")):
        hits = [m.group(1) for m in _LEVEL_RX.finditer(text)]
        if hits:
            return SENIORITY_WORDS[min(hits, key=_LEVEL_RANK.__getitem__)]
    return None


def _location(job: Job, f: Filters) -> Filtered | None:
    if not f.locations or job.is_remote:
        return None
    place = job.location.display()
    if not place:
        return None
    hay = words(place)
    if any(has_phrase(loc, hay) or places.matches(loc, job.location) for loc in f.locations):
        return None
    return Filtered("locations", f"location {place!r} is not one of {', '.join(f.locations)}")


def _remote(job: Job, f: Filters) -> Filtered | None:
    if f.remote == "only" and job.is_remote is False:
        return Filtered("remote", "on-site job, but remote: only")
    if f.remote == "only" and job.is_remote is None and "remote" not in words(job.description):
        return Filtered("remote", "the posting does not say it is remote, but remote: only")
    if f.remote == "exclude" and job.is_remote:
        return Filtered("remote", "remote job, but remote: exclude")
    return None


def yearly(amount: float, interval: str | None) -> float:
    """``amount`` per ``interval`` as a yearly figure (full-time hours)."""
    return amount * _HOURS["yearly"] / _HOURS.get(interval or "yearly", _HOURS["yearly"])


def _salary(job: Job, f: Filters) -> Filtered | None:
    floor: SalaryFloor | None = f.salary_floor
    pay = job.compensation
    if floor is None or pay is None:
        return None
    top = pay.max_amount if pay.max_amount is not None else pay.min_amount
    if top is None:
        return None
    if floor.currency and pay.currency and floor.currency.upper() != pay.currency.upper():
        return None  # no exchange rates here: a filter only acts on what it can compare
    if yearly(top, pay.interval) >= yearly(floor.amount, floor.interval):
        return None
    return Filtered(
        "salary_floor",
        f"pays at most {top:g} {pay.currency or ''} {pay.interval or 'yearly'}, below the floor "
        f"of {floor.amount:g} {floor.currency or ''} {floor.interval}".replace("  ", " "),
    )


def _blocked(rule: str, what: str, value: str, phrases: list[str]) -> Filtered | None:
    if not phrases:  # no list set: the value is not read
        return None
    hay = words(value)
    for phrase in phrases:
        if has_phrase(phrase, hay):
            return Filtered(rule, f"{what} {value!r} contains {phrase!r}")
    return None


def _company(job: Job, f: Filters) -> Filtered | None:
    return _blocked("company_blocklist", "company", job.company, f.company_blocklist)


def _title(job: Job, f: Filters) -> Filtered | None:
    return _blocked("title_blocklist", "title", job.title, f.title_blocklist)


def _must_have(job: Job, f: Filters) -> Filtered | None:
    if not f.must_have:
        return None
    hay = words(f"{job.title} {job.description}")
    missing = [k for k in f.must_have if not has_phrase(k, hay)]
    if missing:
        return Filtered("must_have", f"does not mention {', '.join(missing)}")
    return None


def _exclude(job: Job, f: Filters) -> Filtered | None:
    if not f.exclude_keywords:
        return None
    hay = words(f"{job.title} {job.description}")
    for k in f.exclude_keywords:
        if has_phrase(k, hay):
            return Filtered("exclude_keywords", f"mentions {k!r}")
    return None


def _seniority(job: Job, f: Filters) -> Filtered | None:
    if not f.seniority:
        return None
    level = seniority_of(job)
    wanted = {SENIORITY_WORDS.get(s.lower(), s.lower()) for s in f.seniority}
    if level is None or level in wanted:
        return None
    return Filtered("seniority", f"seniority {level!r} is not one of {', '.join(f.seniority)}")


def _age(job: Job, f: Filters, now: datetime) -> Filtered | None:
    if f.max_age_days is None or job.date_posted is None:
        return None
    age = (now.date() - job.date_posted).days
    if age > f.max_age_days:
        return Filtered("max_age_days", f"posted {age} days ago (max {f.max_age_days})")
    return None


_RULES: list[Callable[[Job, Filters], Filtered | None]] = [
    _company,
    _title,
    _location,
    _remote,
    _salary,
    _seniority,
    _exclude,
    _must_have,
]


def apply_filters(job: Job, filters: Filters, now: datetime) -> Filtered | None:
    """The first rule ``job`` fails, or None when it passes every hard filter."""
    for rule in _RULES:
        hit = rule(job, filters)
        if hit:
            return hit
    return _age(job, filters, now)
