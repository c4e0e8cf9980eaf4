"""The ranker's features of one posting for one candidate: each a number with a meaning.

Every feature is relative to the candidate (their skills, kinds of work, roles, years,
level), never a fixed opinion about a kind of job, so the same weights serve any profile:

- ``lexical``: BM25 of the profile's vocabulary in the posting (0..1); ``title_lexical``: the
  same in the title alone, role nouns left out (a title in the candidate's own words:
  "Python Developer" for a Python developer, not "Storage Engineer");
- ``role``: the title's role family against the candidate's (engineer, analyst, sales ...);
- ``spec``: the title's specialization (backend, ml, embedded ...) against the candidate's
  positions and kinds of work; ``foreign_spec``: the title names one they have none of;
- ``area``: how the posting's skill mentions spread over kinds of work, against the
  candidate's (cosine); ``foreign``: the share of skill mentions the candidate lacks;
- ``required``: the share of required skill groups the candidate meets (alternatives met by
  any);
- ``core``: how many of the candidate's core skills the posting names;
- ``title_have`` / ``title_lack``: a skill in the title the candidate has / lacks;
- ``years_gap``: years demanded beyond the candidate's (in steps of 5, at most 1);
- ``level_up`` / ``level_down``: steps above / below the candidate's level;
- ``avoid``: the posting is about something the candidate wants to stay away from.

The shares (``area``, ``foreign``, ``required``) are drawn towards 0.5 by ``EVIDENCE``
pseudo-mentions: a posting that names one skill is weak evidence either way, not a 0 or a 1.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from common.analysis.candidate import Candidate, title_parts
from common.analysis.filters import seniority_of
from common.analysis.lexical import TOKEN, Bm25, WordBag
from common.analysis.lexicon import (
    LADDER,
    ROLE_AFFINITY,
    ROLE_NOUNS,
    SKILL_AREAS,
    SPECIALIZATION_AFFINITY,
)
from common.analysis.posting import Posting
from common.domain.experience import years_short
from common.domain.job import Job

NAMES = (
    "lexical",
    "title_lexical",
    "role",
    "spec",
    "foreign_spec",
    "area",
    "foreign",
    "required",
    "core",
    "title_have",
    "title_lack",
    "years_gap",
    "level_up",
    "level_down",
    "avoid",
)
#: features the fit uses (``role`` is a rule, ``avoid`` has a set weight: see ranker.py;
#: ``level_down`` is left out: on the real labels its weight only soaks up what other
#: features miss in the few junior postings, and a lower level is no reason to rank higher;
#: ``foreign_spec`` and ``title_have`` too: each repeats a fitted feature (``spec`` falls
#: when the title names a specialization foreign to the candidate; a title skill is a
#: requirement), their weights came out near 0, and without them the out-of-fold ROC-AUC
#: rose in 98 % of 60 cross-validation repetitions: fewer weights to fit on 309 postings)
FITTED = tuple(
    n for n in NAMES if n not in ("role", "avoid", "level_down", "foreign_spec", "title_have")
)
#: pseudo-mentions drawing a share towards 0.5 (see the module docstring)
EVIDENCE = 2.0


def _shrunk(part: float, total: float) -> float:
    return (part + 0.5 * EVIDENCE) / (total + EVIDENCE)


@dataclass(frozen=True)
class Facts:
    """What the features were computed from, for the reasons."""

    matched: list[str]
    missing: list[str]
    level: str | None
    years: int | None


def _both_ways(table: dict[frozenset[str], float]) -> dict[tuple[str, str], float]:
    """An affinity table keyed by ordered pairs, each both ways (a tuple is looked up without
    building a frozenset for each pair compared)."""
    out: dict[tuple[str, str], float] = {}
    for key, value in table.items():
        if len(key) == 2:
            a, b = key
            out[a, b] = out[b, a] = value
    return out


_ROLE_PAIRS = _both_ways(ROLE_AFFINITY)
_SPEC_PAIRS = _both_ways(SPECIALIZATION_AFFINITY)


def _pair(a: str, b: str, table: dict[tuple[str, str], float]) -> float:
    return 1.0 if a == b else table.get((a, b), 0.0)


def _fits(
    wanted: set[str], have: set[str] | frozenset[str], table: dict[tuple[str, str], float]
) -> list[float]:
    """Each of ``wanted``'s best fit among ``have`` (0 when ``have`` is empty)."""
    return [max([_pair(w, h, table) for h in have], default=0.0) for w in wanted]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _areas(mentions: dict[str, int]) -> Counter[str]:
    mass: Counter[str] = Counter()
    for skill, n in mentions.items():
        for area in SKILL_AREAS.get(skill, ()):
            mass[area] += n
    return mass


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _title_bag(title: str) -> WordBag:
    """The title's words without its role nouns (the role is judged apart: "Civil Site
    Engineer" shares no work with a software engineer's profile)."""
    return WordBag([w for w in TOKEN.findall(title.lower()) if w not in ROLE_NOUNS])


def features(
    job: Job, post: Posting, cand: Candidate, bm25: Bm25
) -> tuple[dict[str, float], Facts]:
    """The feature values of ``job`` for ``cand`` and the facts behind them."""
    have = cand.skills
    roles, specs = title_parts(job.title)
    cand_specs = cand.spec_like
    role = _mean(_fits(roles, set(cand.roles), _ROLE_PAIRS)) if roles else 0.5
    fits = _fits(specs, cand_specs, _SPEC_PAIRS)  # each title specialization's, used twice
    spec = _mean(fits) if specs else 0.5
    foreign_spec = float(0 in fits)
    mass = _areas(post.mentions)
    total = sum(post.mentions.values())
    area = _shrunk(_cosine(mass, cand.areas) * total, total) if mass else 0.5
    lacking = sum(n for s, n in post.mentions.items() if s not in have)
    foreign = _shrunk(lacking, total)
    met: list[frozenset[str]] = []
    unmet: list[frozenset[str]] = []
    held = have.keys()
    for group in post.required:  # met when the candidate has any of it
        (unmet if held.isdisjoint(group) else met).append(group)
    required = _shrunk(sum(max(have.get(s, 0.0) for s in g) for g in met), len(post.required))
    core = cand.core[:8]
    named = len(post.mentions.keys() & core)  # core skills are distinct
    core_share = min(1.0, named / max(1, min(len(core), 4)))
    title_have = float(any(have.get(s, 0) >= 1 for s in post.title_skills))
    title_lack = float(any(s not in have for s in post.title_skills))
    short = years_short(post.years, cand.years) if post.years is not None else 0.0
    years_gap = min(1.0, short / 5)
    level = seniority_of(job)
    level_up = level_down = 0.0
    if level is not None:
        step = LADDER.index(level) - LADDER.index(cand.level)
        level_up, level_down = max(0, step) / 2, max(0, -step) / 2
    avoid = 0.0
    if cand.avoid or cand.avoid_areas:
        hits = sum(n for s, n in post.mentions.items() if s in cand.avoid)
        hits += sum(n for a, n in mass.items() if a in cand.avoid_areas)
        avoid = min(1.0, hits / max(total, 1) * 2) if total else 0.0
        if specs & cand.avoid_areas:
            avoid = 1.0
    values = {
        "lexical": bm25.score(post.words),
        "title_lexical": bm25.score(_title_bag(job.title)),
        "role": role,
        "spec": spec,
        "foreign_spec": foreign_spec,
        "area": area,
        "foreign": foreign,
        "required": required,
        "core": core_share,
        "title_have": title_have,
        "title_lack": title_lack,
        "years_gap": years_gap,
        "level_up": level_up,
        "level_down": level_down,
        "avoid": avoid,
    }
    matched = sorted({s for g in met for s in g if s in have})
    missing = sorted({s for g in unmet for s in g})
    return values, Facts(matched, missing, level, post.years)
