"""The fabrication guard: generated text may only claim what the profile holds.

Every employer, title, date, degree, institution, certification, skill and number in a piece
of output text must trace to the candidate's profile (the company, role and place of the job
being applied to are the only other names allowed). A sentence that does not is removed, or
the whole text falls back to the deterministic version built from the profile, and each case
is recorded as a :class:`GuardEvent`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources

from common.documents.facts import (
    SENIORITY,
    Facts,
    degree_classes,
    has_phrase,
    numbers,
    quantities,
    words,
    wordset,
)

SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
#: capitalized words that are not names when they open a sentence or a letter line
COMMON_OPENERS = wordset(
    """a about across after again all also an and another any as at because before being
    beyond both but by currently dear during each earlier especially even every finally first
    for from further given having here however i if in including it its just kind last later
    lately many more moreover most much my next no not now of on once one only or our over
    overall previously recently regards since sincerely so some still such thank thanks that
    the their then there these this those through throughout thus to today together under
    until we what when where whether which while with within yet you your best warm yours"""
)
MONTHS = wordset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december present"
)
ORG_SUFFIX_RE = re.compile(
    r"((?:[A-Z][\w&'-]*\s+){1,4})(GmbH|AG|Inc\.?|Ltd\.?|LLC|Corp\.?|Corporation|SE|plc|S\.A\.|"
    r"B\.V\.|Co\.|Group|Technologies|Labs|University|Institute|College)\b"
)
CERT_RE = re.compile(r"\bcertif", re.I)


@dataclass(frozen=True)
class Violation:
    """One claim that does not trace to the profile."""

    kind: str  # number, degree, skill, seniority, certification, organization, name
    value: str


@dataclass
class GuardEvent:
    """A piece of output the guard changed, and why."""

    field: str
    action: str  # "removed" (sentences dropped) or "regenerated" (deterministic text used)
    text: str  # what was rejected
    violations: list[Violation] = field(default_factory=list)

    def to_doc(self) -> dict[str, object]:
        """A JSON-safe form for the application record."""
        return asdict(self)


@cache
def skill_vocabulary() -> frozenset[str]:
    """The shipped list of skill names the guard recognises (lowercase)."""
    text = (resources.files("common.resources") / "skills.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (kept verbatim)."""
    return [s for s in SENTENCE_END_RE.split(text.strip()) if s]


def check(text: str, facts: Facts, extra_skills: tuple[str, ...] = ()) -> list[Violation]:
    """Every claim in ``text`` that the profile does not back.

    ``extra_skills`` are terms to watch for besides the shipped vocabulary: typically the
    posting's requirements, the skills a model is most tempted to invent.
    """
    original, text = text, facts.without_target(text)
    low = text.lower()
    found: list[Violation] = []
    found += [Violation("number", _fmt(n)) for n in sorted(numbers(text) - facts.numbers)]
    for amount, unit in sorted(quantities(text) - facts.quantities):
        found.append(Violation("number", f"{_fmt(amount)} {'years' if unit == 'year' else '%'}"))
    found += [Violation("degree", d) for d in sorted(degree_classes(text) - facts.degrees)]
    for term in sorted(skill_vocabulary() | {t.lower() for t in extra_skills if t.strip()}):
        if has_phrase(low, term) and not has_phrase(facts.corpus, term):
            found.append(Violation("skill", term))
    for word in SENIORITY:
        if has_phrase(low, word) and not has_phrase(facts.corpus, word):
            found.append(Violation("seniority", word))
    if CERT_RE.search(text) and not any(c.lower() in original.lower() for c in facts.certificates):
        found.append(Violation("certification", "a certification the profile does not list"))
    for match in ORG_SUFFIX_RE.finditer(text):
        parts = match.group(0).split()
        while parts and parts[0].lower() in COMMON_OPENERS:
            parts.pop(0)
        name = " ".join(parts)
        if len(parts) > 1 and not facts.traced(name):
            found.append(Violation("organization", name))
    found += [Violation("name", n) for n in _untraced_names(text, facts)]
    return list(dict.fromkeys(found))


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _untraced_names(text: str, facts: Facts) -> list[str]:
    """Capitalized words (names of people, places, employers, schools) the facts lack."""
    out: list[str] = []
    for sentence in sentences(text):
        for line in sentence.splitlines():
            tokens = words(line)
            for i, token in enumerate(tokens):
                if not token[0].isupper() and not any(c.isupper() for c in token[1:]):
                    continue
                low = token.lower()
                if low in facts.tokens or low in facts.allowed_names or low in MONTHS:
                    continue
                if i == 0 and (low in COMMON_OPENERS or low.endswith(("ly", "ing", "ed"))):
                    continue
                if token == "I" or token.startswith(("I'", "I’")):  # I, I'm, I've, I'd
                    continue
                if low in COMMON_OPENERS and token != token.upper():
                    continue
                out.append(token)
    return out


def guard_text(
    field_name: str,
    text: str,
    facts: Facts,
    *,
    fallback: str,
    extra_skills: tuple[str, ...] = (),
    events: list[GuardEvent],
) -> str:
    """``text`` without the sentences that claim what the profile lacks.

    When more than half of it would go, ``fallback`` (the deterministic text, or "" to drop
    the text) is used instead. What was removed is appended to ``events``.
    """
    parts = sentences(text)
    kept: list[str] = []
    rejected: list[tuple[str, list[Violation]]] = []
    for sentence in parts:
        problems = check(sentence, facts, extra_skills)
        if problems:
            rejected.append((sentence, problems))
        else:
            kept.append(sentence)
    if not rejected:
        return text.strip()
    bad = [v for _, vs in rejected for v in vs]
    rejected_text = " ".join(s for s, _ in rejected)
    if not kept or len(kept) < len(parts) / 2:
        action = "regenerated" if fallback else "removed"
        events.append(GuardEvent(field_name, action, text.strip(), bad))
        return fallback
    events.append(GuardEvent(field_name, "removed", rejected_text, bad))
    return " ".join(kept)
