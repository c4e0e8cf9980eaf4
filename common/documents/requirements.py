"""The posting's requirements the candidate meets, and the profile's evidence for each.

Requirements are skills, found in the posting by the scorer's skill lexicon (aliases map to
one canonical key: "Postgres" and "PostgreSQL" are one requirement) plus the profile's own
terms the posting names verbatim. A requirement counts only when the profile holds it; it is
named the way the profile writes it (never a skill-category name such as "Languages", never
twice in two spellings). Importance: named in the title, then anywhere outside a
nice-to-have section or sentence (in any supported language), then only as nice-to-have;
named often and early counts more.

Evidence for a requirement is the strongest place the profile names it: a highlight of a job
(newer, quantified and specific first), a line of a project (or the project's keywords, then
without a quote), or a certificate; only when nothing names it, a place naming a skill that
implies it (Django code is Python). A line is given to one requirement only (another it names
is shown by it too, the line quoted once); a requirement with nothing to show is left out of
the letter rather than given unrelated evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from common.analysis.posting import canonical
from common.analysis.unglue import unglue
from common.documents.profile_index import ProfileIndex, profile_index
from common.documents.skill_scan import Mention
from common.domain.analysis import Analysis
from common.domain.candidate import Certificate, Profile, Project, Work
from common.domain.job import Job
from common.i18n.phrases import alternation, phrases, supported

MAX_REQUIREMENTS = 4
#: importance of where the posting names a requirement
WEIGHT = {"title": 4.0, "required": 3.0, "nice": 1.0}


@dataclass
class Evidence:
    """One place in the profile that shows requirements: a highlight, a project, a cert."""

    kind: str  # "work" | "project" | "certificate"
    text: str  # the highlight, project description or certificate name, as written
    keys: list[str] = field(default_factory=list)  # the requirements it shows, best first
    work: Work | None = None
    project: Project | None = None
    certificate: Certificate | None = None


@dataclass
class Requirement:
    """A requirement of the posting that the candidate meets."""

    key: str  # canonical key (lexicon) or the lower-cased term
    name: str  # as the profile writes it
    weight: float
    evidence: Evidence | None = None


@dataclass
class Match:
    """The posting's requirements the candidate meets, most important first."""

    requirements: list[Requirement]
    #: the 2-4 requirements a letter names: those with evidence of their own, most important
    #: first (topped up to two with held requirements without evidence)
    chosen: list[Requirement] = field(default_factory=list)

    @property
    def top(self) -> list[Requirement]:
        """The 2-4 requirements a letter names, most important first."""
        return self.chosen

    def names(self, limit: int = MAX_REQUIREMENTS) -> list[str]:
        """Display names of the first ``limit`` requirements."""
        return [r.name for r in self.requirements[:limit]]

    def keys(self) -> set[str]:
        """Every matched requirement's key."""
        return {r.key for r in self.requirements}


@cache
def _nice_rx() -> re.Pattern[str]:
    """Nice-to-have phrasing in every supported language."""
    items = [p for code in supported() for p in phrases(code).data["text"].get("nice_to_have", [])]
    return re.compile(alternation(items), re.I)


def nice_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` is nice-to-have: a section under such a heading, or such a line."""
    rx, spans, pos, in_nice = _nice_rx(), [], 0, False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        heading = 0 < len(stripped) < 60 and not stripped.startswith(("-", "•", "*"))
        heading = heading and not stripped.endswith((".", ";"))
        if heading:
            in_nice = bool(rx.search(stripped))
        if in_nice or (not heading and rx.search(stripped)):
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def _posting_weights(
    text: str, in_title: list[Mention], in_text: list[Mention]
) -> dict[str, float]:
    """Importance of each held skill the posting (``text``, its description) names: mentions
    ``in_title`` and ``in_text`` (absent: not named)."""
    title_keys = {m.key for m in in_title}
    nice = nice_spans(text)
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    wanted: set[str] = set()  # named outside nice-to-have at least once
    for mention in in_text:
        first.setdefault(mention.key, mention.start)
        count[mention.key] = count.get(mention.key, 0) + 1
        if not any(a <= mention.start < b for a, b in nice):
            wanted.add(mention.key)
    weights: dict[str, float] = {}
    for key in title_keys | set(first):
        if key in title_keys:
            base = WEIGHT["title"]
        elif key in wanted:
            base = WEIGHT["required"]
        else:
            base = WEIGHT["nice"]
        # named often is more central; named early is more prominent
        position = first.get(key, 0) / max(1, len(text))
        weights[key] = base + 0.25 * min(3, count.get(key, 0)) - 0.5 * position
    return weights


def match_requirements(profile: Profile, job: Job, analysis: Analysis | None = None) -> Match:
    """The posting's requirements the profile holds, each with its strongest evidence."""
    index = profile_index(profile)
    text = unglue(job.description)  # "Python3+ years", "platformWork": the words apart
    in_title, in_text = index.held_in(job.title), index.held_in(text)
    weights = _posting_weights(text, in_title, in_text)
    for term in analysis.matched if analysis else []:
        key = canonical(term)
        if key in weights:  # the analyzer saw it as a match too
            weights[key] += 0.5
    ordered = sorted(weights, key=lambda k: (-weights[k], k))
    mentions = in_title + in_text  # the title's spelling first
    requirements = [Requirement(k, _display(index, k, mentions), weights[k]) for k in ordered]
    return Match(requirements, _attach_evidence(index, requirements))


def _display(index: ProfileIndex, key: str, mentions: list[Mention]) -> str:
    """The posting's spelling when the profile uses it too (in the profile's case), else the
    profile's own spelling."""
    for mention in mentions:
        if mention.key == key:
            spelled = index.spelling(mention.surface)
            if spelled:
                return spelled
    return index.skills[key]


def _attach_evidence(index: ProfileIndex, requirements: list[Requirement]) -> list[Requirement]:
    """Give requirements, most important first, their strongest evidence not yet given to
    another; the first four shown are the letter's (at least two when held).

    A line is given to one requirement only. A requirement left without a line of its own is
    still shown when a line already given names it ("Airflow pipelines loading 300 GB a day
    into BigQuery" shows both): it is named with that line, which is quoted once.
    """
    given: dict[str, tuple[Evidence, frozenset[str]]] = {}  # line -> its evidence, its skills
    chosen: list[Requirement] = []
    for req in requirements:
        if len(chosen) == MAX_REQUIREMENTS:
            break
        ranked = sorted(index.evidence_for(req.key), key=lambda pair: -pair[0])
        best = next((ev for _, ev in ranked if _line(ev) not in given), None)
        if best is not None:
            req.evidence = Evidence(
                best.kind, best.text, [req.key], best.work, best.project, best.certificate
            )
            given[_line(best)] = (req.evidence, index.keys_of(best))
            chosen.append(req)
            continue
        sharing = next((ev for ev, keys in given.values() if req.key in keys), None)
        if sharing is not None:  # named by a line given to a more important requirement
            sharing.keys.append(req.key)
            chosen.append(req)
    for req in requirements:  # held (in the skills list) but shown nowhere: named only
        if len(chosen) >= 2:
            break
        if req not in chosen:
            chosen.append(req)
    return sorted(chosen, key=requirements.index)


def _line(evidence: Evidence) -> str:
    """What is quoted for ``evidence``: its text, or the project named without a quote."""
    if evidence.text or evidence.project is None:
        return evidence.text
    return f"project {id(evidence.project)}"
