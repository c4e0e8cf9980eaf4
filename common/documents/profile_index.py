"""What the documents need from a profile, computed once per profile (not once per job).

The skills the candidate holds (canonical key -> the candidate's spelling), which highlight,
project and certificate shows which skill, the profile's language and its text for spelling
look-ups. Generating 2,000 applications for one profile computes this once.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from common.analysis.lexicon import SKILL_IMPLIES, SKILLS
from common.analysis.posting import canonical
from common.documents.facts import Facts, profile_facts, profile_strings, remembered, words
from common.documents.skill_scan import Mention, SkillScanner
from common.domain.candidate import Profile
from common.i18n.detect import detect
from common.i18n.phrases import DEFAULT, supported

#: a skill named in a text counts this much more than a skill the text only implies
DIRECT = 2.0

if TYPE_CHECKING:
    from common.documents.requirements import Evidence


def is_category(name: str, keywords: list[str]) -> bool:
    """A skill entry's name that groups keywords ("Languages", "Tools") rather than naming a
    skill: it has keywords and is not itself a known skill."""
    return bool(keywords) and canonical(name) not in SKILLS


@dataclass
class ProfileIndex:
    """Per-profile look-ups for requirement matching and evidence."""

    skills: dict[str, str]  # key -> display name (the profile's spelling)
    scanner: SkillScanner  # the lexicon's skills and the profile's own terms
    text: str  # every profile string, original case, one per line
    language: str  # the profile's own language, if supported, else English
    facts: Facts  # the guard's facts of the profile alone
    held_scanner: SkillScanner | None = None  # the skills the candidate holds, only
    _evidence: dict[str, list[tuple[float, Evidence]]] = field(default_factory=dict)
    _keys: dict[int, frozenset[str]] = field(default_factory=dict)
    _text_keys: dict[str, frozenset[str]] = field(default_factory=dict)
    _text_words: dict[str, frozenset[str]] = field(default_factory=dict)
    _spellings: dict[str, str | None] = field(default_factory=dict)

    def held_in(self, text: str) -> list[Mention]:
        """Where ``text`` (a posting) names skills the candidate holds."""
        assert self.held_scanner is not None
        return self.held_scanner.mentions(text)

    def skills_of(self, text: str) -> frozenset[str]:
        """The skills a profile text names (remembered: the same texts are scored for every
        job)."""
        return remembered(self._text_keys, text, lambda: frozenset(self.scanner.keys(text)))

    def words_of(self, text: str) -> frozenset[str]:
        """The lowercase words of a profile text (remembered, as :meth:`skills_of`)."""
        return remembered(self._text_words, text, lambda: frozenset(words(text.lower())))

    def evidence_for(self, key: str) -> list[tuple[float, Evidence]]:
        """Every piece of evidence for ``key`` with its base score."""
        return self._evidence.get(key, [])

    def keys_of(self, evidence: Evidence) -> frozenset[str]:
        """The skills ``evidence`` shows."""
        return self._keys.get(id(evidence), frozenset())

    def spelling(self, surface: str) -> str | None:
        """How the profile spells ``surface`` (any case), or None when it never does
        (remembered, at most 5,000 surfaces: the same skills are looked up for every job)."""
        if surface in self._spellings:
            return self._spellings[surface]
        m = re.search(rf"(?<![\w+#]){re.escape(surface)}(?![\w+#])", self.text, re.I)
        found = m.group(0) if m else None
        if len(self._spellings) < 5000:
            self._spellings[surface] = found
        return found


def _build(profile: Profile) -> ProfileIndex:
    from common.documents.requirements import Evidence

    skills: dict[str, str] = {}
    extra: list[tuple[str, str]] = []

    def hold(term: str) -> None:
        term = term.strip()
        if not term:
            return
        key = canonical(term)
        skills.setdefault(key, term)
        if key not in SKILLS:
            extra.append((term, key))

    for skill in profile.skills:
        if not is_category(skill.name, skill.keywords):
            hold(skill.name)
        for keyword in skill.keywords:
            hold(keyword)
    for project in profile.projects:
        for keyword in project.keywords:
            hold(keyword)
    text = "\n".join(profile_strings(profile))
    index = ProfileIndex(skills, SkillScanner(extra), text, DEFAULT, profile_facts(profile))

    def keys(part: str) -> frozenset[str]:
        return frozenset(index.scanner.keys(part))

    def add(evidence: Evidence, base: float, found: frozenset[str]) -> None:
        """File ``evidence`` under the skills it names (and, much weaker, the skills those
        imply); a text naming few skills is more specific evidence for each."""
        index._keys[id(evidence)] = found
        specific = 0.5 / max(1, len(found))
        for key in found:
            index._evidence.setdefault(key, []).append((base + DIRECT + specific, evidence))
        for key in {k for f in found for k in SKILL_IMPLIES.get(f, ())} - found:
            index._evidence.setdefault(key, []).append((base + specific, evidence))

    works = sorted(
        profile.work, key=lambda w: (w.endDate is None, w.endDate or "", w.startDate or "")
    )
    for age, work in enumerate(reversed(works)):
        for highlight in work.highlights:
            for mention in index.scanner.mentions(highlight):
                skills.setdefault(mention.key, mention.surface)  # held: named in their work
            quantified = 0.5 if re.search(r"\d", highlight) else 0.0
            base = 3.0 - 0.5 * min(age, 2) + quantified
            add(Evidence("work", highlight, work=work), base, keys(highlight))
    for project in profile.projects:
        # each highlight (or the description) that names a skill is evidence for it; the
        # project's own keywords, when no line names them, are evidence without a quote
        lines = [t for t in (project.description or "", *project.highlights) if t.strip()]
        named: set[str] = set()
        for line in lines:
            found = keys(line)
            named |= found
            quantified = 0.5 if re.search(r"\d", line) else 0.0
            add(Evidence("project", line, project=project), 2.0 + quantified, found)
        listed = keys(" ; ".join([project.name or "", *project.keywords])) - named
        for line in lines:  # a listed skill shown by a line through what it implies
            shown = {k for k in listed for f in keys(line) if k in SKILL_IMPLIES.get(f, ())}
            if shown:
                add(Evidence("project", line, project=project), 1.75, frozenset(shown))
                listed -= shown
        if listed:
            add(Evidence("project", "", project=project), 1.5, frozenset(listed))
    for cert in profile.certificates:
        found = keys(f"{cert.name or ''} {cert.issuer or ''}")
        add(Evidence("certificate", cert.name or "", certificate=cert), 2.5, found)
    index.language = _language(profile)
    # a profile term the lexicon does not know is matched as the profile writes it: the
    # library "Requests" is not the word "requests" of a posting
    index.held_scanner = SkillScanner(
        [(alias, key) for key in skills if key in SKILLS for alias in (key, *SKILLS[key])]
        + [(term, key) for term, key in extra],
        lexicon=False,
    )
    return index


def _language(profile: Profile) -> str:
    parts = [profile.basics.summary or ""]
    parts += [h for w in profile.work for h in [w.summary or "", *w.highlights]]
    found = detect("\n".join(parts))
    return found.code if found and found.code in supported() else DEFAULT


_cache: dict[int, tuple[weakref.ref[Profile], ProfileIndex]] = {}
_lock = threading.Lock()


def profile_index(profile: Profile) -> ProfileIndex:
    """The index of ``profile``, built on first use and kept while the profile lives."""
    with _lock:
        hit = _cache.get(id(profile))
        if hit is not None and hit[0]() is profile:
            return hit[1]
    index = _build(profile)
    pid = id(profile)

    def forget(ref: weakref.ref[Profile]) -> None:  # no lock: may run inside the GC
        if _cache.get(pid, (None,))[0] is ref:
            _cache.pop(pid, None)

    with _lock:
        _cache[pid] = (weakref.ref(profile, forget), index)
    return index
