"""The local scorer: no network, the embedded default analyzer and the pre-filter before Gemini.

The score (0-100) is a weighted match times a fit factor:

- match (weights in :data:`WEIGHTS`, each signal 0..1):
  ``title``: the posting's role (engineer, analyst, nurse ...) and specialization (backend,
  data, frontend ...) against the positions the candidate held and their label;
  ``required``: the share of the skills the posting *requires* that the candidate has (skills
  in a "nice to have" section or sentence do not count against them);
  ``nice``: the share of nice-to-have skills the candidate has;
  ``profile``: how many of the candidate's own core skills the posting names;
- fit: the lower of ``years`` (years demanded vs the candidate's, from the work history dates)
  and ``seniority`` (the posting's level from its title or the actor's field vs the
  candidate's: one step apart costs a little, two steps, e.g. a senior looking at a junior or
  a director role, cost half).

A role that is not the candidate's (title signal under 0.25) is capped at 30: a sales posting
full of tech words is still a sales posting. Plain TF-IDF cosine, the baseline in
``eval/run_eval.py``, misses exactly these cases: aliases (GCP, k8s), required vs nice to
have, seniority and role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from common.analysis.filters import seniority_of, title_text, words
from common.analysis.lexicon import (
    DEGREES,
    LADDER,
    ROLE_AFFINITY,
    ROLE_NOUNS,
    SKILLS,
    SPECIALIZATION_AFFINITY,
    SPECIALIZATIONS,
)
from common.domain.analysis import Analysis, Decision
from common.domain.candidate import Profile
from common.domain.experience import years_of_experience
from common.domain.job import Job
from common.domain.preferences import Preferences

WEIGHTS = {"title": 0.35, "required": 0.40, "nice": 0.08, "profile": 0.17}
#: fit factor by distance on the seniority ladder
SENIORITY_FIT = {0: 1.0, 1: 0.85, 2: 0.5}
#: score ceiling for a posting whose role is not the candidate's
OFF_ROLE_CAP = 30

_NICE_HEAD = re.compile(
    r"nice[- ]to[- ]have|bonus|a plus|preferred|good to have|ideally|would be great|extra points"
    r"|not required|plus if",
    re.I,
)
_REQ_HEAD = re.compile(
    r"requirements|required|must[- ]have|you have|you bring|what you bring|qualifications"
    r"|your profile|we expect|we are looking for|you should have|skills|experience",
    re.I,
)
_OTHER_HEAD = re.compile(
    r"about us|about the company|who we are|benefits|we offer|what we offer|perks|why join",
    re.I,
)
_YEARS = re.compile(r"(\d{1,2})\s*(?:\+|plus)?\s*(?:-|to|–)?\s*(?:\d{1,2})?\s*\+?\s*years?", re.I)
_DEGREE_RX = re.compile(
    r"(?<![\w+#])(" + "|".join(re.escape(d) for d in DEGREES) + r")(?![\w+#])( or equivalent)?"
)
_SENTENCE_END = re.compile(r"[.!?](\s|$)")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+")
_REQ_SENTENCE = re.compile(r"\b(you have|you bring|required|must|experience (with|in))\b", re.I)


def _alias_table() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Two alternations (case-insensitive and case-sensitive aliases) and alias -> skill."""
    owner: dict[str, str] = {}
    for name, aliases in SKILLS.items():
        for alias in aliases:
            owner[alias if any(c.isupper() for c in alias) else alias.lower()] = name

    def rx(aliases: list[str], flags: int) -> re.Pattern[str]:
        alts = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        return re.compile(rf"(?<![\w+#&/.-])(?:{alts})(?![\w+#&]|/\w)", flags)

    lower = [a for a in owner if a == a.lower()]
    upper = [a for a in owner if a != a.lower()]
    return rx(lower, re.I), rx(upper, 0), owner


_ANY_CASE, _EXACT_CASE, _OWNER = _alias_table()


def skills_in(text: str) -> set[str]:
    """Canonical skill names that ``text`` mentions (by any alias)."""
    found = {_OWNER[m.group(0).lower()] for m in _ANY_CASE.finditer(text)}
    found |= {_OWNER[m.group(0)] for m in _EXACT_CASE.finditer(text)}
    return found


def canonical(term: str) -> str:
    """A skill's canonical name when the lexicon knows it, else the term lower-cased."""
    t = term.strip().lower()
    for name, aliases in SKILLS.items():
        if t == name or t in (a.lower() for a in aliases):
            return name
    return t


def title_words(title: str) -> list[str]:
    """Title words with phrases normalized (TITLE_PHRASES) and compounds split at dashes
    ("Backend-Entwickler" -> backend, entwickler) unless the compound is known (back-end)."""
    out: list[str] = []
    for w in title_text(title).split():
        known = w in ROLE_NOUNS or w in SPECIALIZATIONS
        out += [w] if known or "-" not in w else [p for p in w.split("-") if p]
    return out


def _title_parts(title: str) -> tuple[set[str], set[str]]:
    hay = title_words(title)
    roles = {ROLE_NOUNS[w] for w in hay if w in ROLE_NOUNS}
    specs = {SPECIALIZATIONS[w] for w in hay if w in SPECIALIZATIONS}
    return roles, specs


def _pair(a: str, b: str, table: dict[frozenset[str], float]) -> float:
    return 1.0 if a == b else table.get(frozenset({a, b}), 0.0)


def _best(wanted: set[str], have: set[str], table: dict[frozenset[str], float]) -> float:
    if not wanted or not have:
        return 0.0
    return sum(max(_pair(w, h, table) for h in have) for w in wanted) / len(wanted)


@dataclass(frozen=True)
class Candidate:
    """What the scorer needs from a profile, computed once per profile version."""

    skills: frozenset[str]
    core: tuple[str, ...]
    roles: frozenset[str]
    specs: frozenset[str]
    years: float
    level: str
    degree: int


def candidate_of(profile: Profile, today: date) -> Candidate:
    """The scorer's view of ``profile`` (skills, roles, years, level, degree)."""
    declared: list[str] = []
    for skill in profile.skills:
        declared.append(canonical(skill.name))
        declared.extend(canonical(k) for k in skill.keywords)
    for project in profile.projects:
        declared.extend(canonical(k) for k in project.keywords)
    text = " ".join(
        [profile.basics.summary or "", profile.basics.label or ""]
        + [h for w in profile.work for h in [w.summary or "", *w.highlights]]
    )
    skills = set(declared) | skills_in(text)
    titles = [w.position or "" for w in profile.work] + [profile.basics.label or ""]
    roles: set[str] = set()
    specs: set[str] = set()
    for title in titles:
        r, s = _title_parts(title)
        roles |= r
        specs |= s
    years = years_of_experience(profile.work, today)
    latest = next((w.position for w in profile.work if w.position and not w.endDate), None)
    level = None
    if latest:
        level = seniority_of(Job(id="-", title=latest, company="-"))
    if level is None:
        level = "junior" if years < 2 else "mid" if years < 5 else "senior" if years < 9 else "lead"
    degree = max(
        (
            DEGREES[w]
            for e in profile.education
            for w in words(f"{e.studyType or ''} {e.area or ''}").split()
            if w in DEGREES
        ),
        default=0,
    )
    core = tuple(dict.fromkeys(canonical(s.name) for s in profile.skills))
    return Candidate(
        frozenset(skills), core, frozenset(roles), frozenset(specs), years, level, degree
    )


@dataclass
class Posting:
    """The posting split into what it requires and what it would like."""

    required: set[str]
    nice: set[str]
    mentioned: set[str]
    years: int | None
    degree: int


def _line_kind(line: str, current: str) -> tuple[str, str]:
    """(kind of this line, kind of the lines after it) for a description line."""
    short = len(line) < 60 and not line.startswith("-") and not _SENTENCE_END.search(line)
    if short and _NICE_HEAD.search(line):
        return "nice", "nice"
    if short and _OTHER_HEAD.search(line):
        return "other", "other"
    if short and _REQ_HEAD.search(line):
        return "required", "required"
    return current, current


def posting_of(job: Job) -> Posting:
    """Required and nice-to-have skills, years and degree demanded by ``job``."""
    required: set[str] = set()
    nice: set[str] = set()
    body: set[str] = set()
    mentioned: set[str] = set()
    years: list[int] = []
    current = "body"
    for raw in job.description.splitlines():
        line = raw.strip()
        if not line:
            continue
        kind, current = _line_kind(line, current)
        for sentence in _SENTENCE.split(line) if kind != "nice" else [line]:
            found = skills_in(sentence)
            mentioned |= found
            if kind == "nice" or _NICE_HEAD.search(sentence):
                nice |= found
                continue
            years += [int(m.group(1)) for m in _YEARS.finditer(sentence) if int(m.group(1)) <= 20]
            if kind == "required" or _REQ_SENTENCE.search(sentence):
                required |= found
            elif kind == "body":
                body |= found
    if not required:
        required = body
    in_title = skills_in(job.title)
    required |= in_title
    mentioned |= in_title
    hay = words(job.description)
    degree = max(
        (DEGREES[m.group(1)] for m in _DEGREE_RX.finditer(hay) if not m.group(2)), default=0
    )
    return Posting(required, nice - required, mentioned, max(years) if years else None, degree)


def decide(score: int, preferences: Preferences) -> Decision:
    """Apply the configured thresholds to a score."""
    if score >= preferences.scoring.apply_threshold:
        return Decision.APPLY
    if score >= preferences.scoring.review_threshold:
        return Decision.REVIEW
    return Decision.SKIP


@dataclass(frozen=True)
class Signals:
    """The six signals (0..1) and the facts behind them."""

    values: dict[str, float]
    matched: list[str]
    missing: list[str]
    job_level: str | None
    years_demanded: int | None


def signals(job: Job, cand: Candidate) -> Signals:
    """Compute every signal of ``job`` for ``cand``."""
    roles, specs = _title_parts(job.title)
    role = _best(roles, set(cand.roles), ROLE_AFFINITY) if roles else 0.4
    spec = _best(specs, set(cand.specs), SPECIALIZATION_AFFINITY) if specs else 0.6
    title = role * (0.4 + 0.6 * spec)
    post = posting_of(job)
    matched = sorted(post.required & cand.skills)
    missing = sorted(post.required - cand.skills)
    required = len(matched) / len(post.required) if post.required else 0.3
    nice = len(post.nice & cand.skills) / len(post.nice) if post.nice else 0.5
    named = sum(1 for s in cand.core if s in post.mentioned)
    profile = min(1.0, named / max(1, min(len(cand.core), 4)))
    years = 1.0
    if post.years is not None and post.years > cand.years:
        years = max(0.3, 1 - 0.35 * (post.years - cand.years))
    if post.degree > cand.degree:
        years *= 0.8
    level = seniority_of(job)
    seniority = 0.9
    if level is not None:
        gap = abs(LADDER.index(level) - LADDER.index(cand.level))
        seniority = SENIORITY_FIT.get(gap, 0.35)
    values = {
        "title": title,
        "required": required,
        "nice": nice,
        "profile": profile,
        "years": years,
        "seniority": seniority,
    }
    return Signals(values, matched, missing, level, post.years)


def score_of(sig: Signals) -> int:
    """Weighted match times fit, 0-100, capped for a role that is not the candidate's."""
    v = sig.values
    match = sum(w * v[k] for k, w in WEIGHTS.items())
    score = round(100 * match * min(v["years"], v["seniority"]))
    if sig.values["title"] < 0.25:
        score = min(score, OFF_ROLE_CAP)
    return max(0, min(100, score))


def _reasons(sig: Signals, cand: Candidate) -> list[str]:
    v = sig.values
    out = []
    if v["title"] >= 0.7:
        out.append("the role matches positions you held")
    elif v["title"] < 0.25:
        out.append("the role is not one you have held")
    if sig.matched:
        out.append(f"you have {len(sig.matched)} required skill(s): {', '.join(sig.matched[:8])}")
    if sig.missing:
        out.append(f"missing required: {', '.join(sig.missing[:8])}")
    if sig.years_demanded is not None and v["years"] < 1:
        out.append(f"asks for {sig.years_demanded}+ years, you have about {cand.years:.0f}")
    if sig.job_level and v["seniority"] < 1:
        out.append(f"{sig.job_level} level, you are {cand.level}")
    return out or ["few signals either way"]


class LocalScorer:
    """:class:`common.ports.Analyzer` without a model."""

    remote = False

    def __init__(self) -> None:
        self._seen: tuple[Profile, date, str, Candidate] | None = None

    def _candidate(self, profile: Profile, today: date) -> tuple[str, Candidate]:
        seen = self._seen
        if seen is None or seen[0] is not profile or seen[1] != today:
            seen = (profile, today, profile.version(), candidate_of(profile, today))
            self._seen = seen
        return seen[2], seen[3]

    def analyze(self, job: Job, profile: Profile, preferences: Preferences) -> Analysis:
        today = job.ingested_at.date() if job.ingested_at else date.today()
        version, cand = self._candidate(profile, today)
        sig = signals(job, cand)
        score = score_of(sig)
        return Analysis(
            job_id=job.id,
            score=score,
            decision=decide(score, preferences),
            reasons=_reasons(sig, cand),
            matched=sig.matched,
            missing=sig.missing,
            seniority_fit=None if sig.job_level is None else f"{sig.job_level} vs {cand.level}",
            llm_used=False,
            profile_version=version,
        )
