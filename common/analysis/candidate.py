"""The ranker's view of the candidate: skills (core vs incidental), kinds of work, roles,
years and level, from the profile, overridden by the targets in ``autoapply.yaml``.

A skill is *core* when the work history, projects or summary show it in use, directly or
through a skill that implies it (Django work is Python work), or the targets name it;
*incidental* when it is only listed in the skills section: a resume that lists C++ among
twelve languages is not a C++ engineer's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from common.analysis.filters import seniority_of, title_text
from common.analysis.lexical import Query, terms
from common.analysis.lexicon import (
    ROLE_NOUNS,
    SKILL_AREAS,
    SKILL_IMPLIES,
    SPECIALIZATIONS,
)
from common.analysis.posting import canonical, skills_in
from common.domain.candidate import Profile
from common.domain.experience import years_of_experience
from common.domain.job import Job
from common.domain.preferences import Targets

CORE = 1.0
INCIDENTAL = 0.4


def title_words(title: str) -> list[str]:
    """Title words with phrases normalized (TITLE_PHRASES) and compounds split at dashes
    ("Backend-Entwickler" -> backend, entwickler) unless the compound is known (back-end)."""
    out: list[str] = []
    for w in title_text(title).split():
        known = w in ROLE_NOUNS or w in SPECIALIZATIONS
        out += [w] if known or "-" not in w else [p for p in w.split("-") if p]
    return out


def title_parts(title: str) -> tuple[set[str], set[str]]:
    """(role families, specializations) a title names."""
    hay = title_words(title)
    roles = {ROLE_NOUNS[w] for w in hay if w in ROLE_NOUNS}
    specs = {SPECIALIZATIONS[w] for w in hay if w in SPECIALIZATIONS}
    return roles, specs


@dataclass(frozen=True)
class Candidate:
    """What the ranker needs from a profile, computed once per profile version."""

    skills: dict[str, float]
    areas: dict[str, float]
    roles: frozenset[str]
    specs: frozenset[str]
    years: float
    level: str
    query: Query
    avoid: frozenset[str] = frozenset()
    avoid_areas: frozenset[str] = frozenset()
    #: what the profile lacks, said once in the reasons ("no skills listed" ...)
    gaps: tuple[str, ...] = field(default=())

    @cached_property
    def core(self) -> list[str]:
        """Core skills in name order (not by strength: the ``core`` feature counts the first
        eight, an arbitrary cut that ordering by strength did not improve; see docs/analysis.md)."""
        return sorted(s for s, w in self.skills.items() if w >= CORE)

    @cached_property
    def spec_like(self) -> frozenset[str]:
        """The specializations a title is judged against: the candidate's, and the kinds of
        work that hold a tenth of their skills or more."""
        return self.specs | {a for a, share in self.areas.items() if share >= 0.1}


def profile_text(profile: Profile) -> str:
    """Everything the resume says about the work, as one text (the lexical query)."""
    parts = [profile.basics.label or "", profile.basics.summary or ""]
    for skill in profile.skills:
        parts += [skill.name, *skill.keywords]
    for work in profile.work:
        parts += [work.position or "", work.summary or "", *work.highlights]
    for project in profile.projects:
        parts += [project.name or "", project.description or "", *project.highlights]
        parts += project.keywords
    for edu in profile.education:
        parts += [edu.studyType or "", edu.area or ""]
    return "\n".join(parts)


def _areas(skills: dict[str, float]) -> dict[str, float]:
    mass: Counter[str] = Counter()
    for skill, weight in skills.items():
        for area in SKILL_AREAS.get(skill, ()):
            mass[area] += weight
    total = sum(mass.values()) or 1.0
    return {a: v / total for a, v in mass.items()}


def candidate_of(profile: Profile, today: date, targets: Targets | None = None) -> Candidate:
    """The ranker's view of ``profile`` (with ``targets`` overriding what it gives)."""
    targets = targets or Targets()
    listed = {canonical(k) for s in profile.skills for k in [s.name, *s.keywords]}
    listed = {s for s in listed if s}
    used_text = " ".join(
        [profile.basics.summary or "", profile.basics.label or ""]
        + [h for w in profile.work for h in [w.position or "", w.summary or "", *w.highlights]]
        + [h for p in profile.projects for h in [p.description or "", *p.highlights, *p.keywords]]
    )
    used = skills_in(used_text) | {canonical(k) for p in profile.projects for k in p.keywords}
    used |= {i for s in used for i in SKILL_IMPLIES.get(s, ())}  # Django work is Python work
    skills = {s: INCIDENTAL for s in listed} | {s: CORE for s in used}
    for s in targets.core_skills:
        skills[canonical(s)] = CORE
    for s in targets.incidental_skills:
        skills[canonical(s)] = INCIDENTAL
    avoid = frozenset(canonical(s) for s in targets.avoid)
    for s in avoid:
        skills.pop(s, None)
    titles = [w.position or "" for w in profile.work] + [profile.basics.label or ""]
    titles += targets.titles
    roles: set[str] = set()
    specs: set[str] = set()
    for title in titles:
        r, s = title_parts(title)
        roles |= r
        specs |= s
    # the kinds of work the summary names ("full-stack development with Django"), not its
    # roles: "worked with product managers" does not make a manager
    specs |= title_parts(profile.basics.summary or "")[1]
    years = targets.years if targets.years is not None else years_of_experience(profile.work, today)
    level = targets.level
    latest = next((w.position for w in profile.work if w.position and not w.endDate), None)
    if level is None and latest:
        level = seniority_of(Job(id="-", title=latest, company="-"))
    if level is None:
        level = "junior" if years < 2 else "mid" if years < 5 else "senior" if years < 9 else "lead"
    gaps = []
    if not skills:
        gaps.append("your profile lists no skills: ranked on text similarity only")
    if not profile.work:
        gaps.append("your profile has no work history: years and level unknown")
    query = terms(profile_text(profile) + "\n" + "\n".join(targets.titles))
    return Candidate(
        skills=skills,
        areas=_areas(skills),
        roles=frozenset(roles),
        specs=frozenset(specs),
        years=years,
        level=level,
        query=Query(query),
        avoid=avoid,
        avoid_areas=frozenset(a.lower() for a in targets.avoid if a.lower() in _ALL_AREAS),
        gaps=tuple(gaps),
    )


_ALL_AREAS = frozenset(a for areas in SKILL_AREAS.values() for a in areas)
