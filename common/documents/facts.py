"""What the candidate's profile holds, in the forms the fabrication guard compares against.

Built once per generation from the JSON Resume (the only source of facts) plus the few names
the job record contributes (the company and role being applied to, never its requirements).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from common.documents.titles import EMAIL_RE, clean_company, role_name, strip_links
from common.domain.candidate import Profile
from common.domain.job import Job

if TYPE_CHECKING:
    from common.documents.guard import Violation

WORD_RE = re.compile(r"[^\W_][\w+#./'&-]*", re.UNICODE)
NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
DATE_RE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "dozens": 12,
    "hundreds": 100,
    "thousand": 1000,
    "thousands": 1000,
}

#: degree classes; a degree named in output must be of a class the profile's education holds
DEGREES: dict[str, re.Pattern[str]] = {
    "doctorate": re.compile(r"\b(ph\.?\s?d\b\.?|doctorate|doctoral|doctor of|d\.?phil\b)", re.I),
    "master": re.compile(r"\b(masters?\b|master's|m\.?sc\b|mba\b|m\.?eng\b|magister)", re.I),
    "bachelor": re.compile(r"\b(bachelors?\b|bachelor's|b\.?sc\b|b\.?eng\b|b\.a\.|b\.s\.)", re.I),
    "diploma": re.compile(r"\b(diplom|diploma)\b", re.I),
}


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of a word-list literal."""
    return frozenset(text.split())


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (keeps C++, C#, Node.js, Pub/Sub, o'Neil together)."""
    return [w.strip(".'/-&") for w in WORD_RE.findall(text) if w.strip(".'/-&")]


def numbers(text: str, number_words: dict[str, int] = NUMBER_WORDS) -> set[float]:
    """Every number ``text`` states, in digits or (small) words; dates count as years."""
    found: set[float] = set()
    for match in DATE_RE.finditer(text):
        found.add(float(match.group(1)))
    rest = DATE_RE.sub(" ", text)
    for token in NUMBER_RE.findall(rest):
        value = _number(token)
        if value is not None:
            found.add(value)
    for word in words(rest.lower()):
        if word in number_words:
            found.add(float(number_words[word]))
    return found


#: a word amount starts a word (equivalent, and not retried at every letter inside one)
QUANTITY_RE = re.compile(
    r"(\d+(?:[.,]\d+)?|(?<![a-z])[a-z]+)\s*\+?\s*(years?|yrs|%|percent)(?![\w])", re.I
)


def quantities(
    text: str,
    pattern: re.Pattern[str] = QUANTITY_RE,
    number_words: dict[str, int] = NUMBER_WORDS,
) -> set[tuple[float, str]]:
    """Claims of years and percentages: ``seven years`` -> ``(7, "year")``, ``30%`` -> ``%``.

    ``pattern`` and ``number_words`` read another language (``cinq ans``, ``5 Jahre``)."""
    found: set[tuple[float, str]] = set()
    for amount, unit in pattern.findall(text):
        value = number_words.get(amount.lower()) if amount.isalpha() else _number(amount)
        if value is not None:
            kind = "%" if unit.lower() in {"%", "percent"} else "year"
            found.add((float(value), kind))
    return found


def _number(token: str) -> float | None:
    if re.fullmatch(r"\d{1,3}(,\d{3})+", token):
        token = token.replace(",", "")
    try:
        return float(token.replace(",", "."))
    except ValueError:
        return None


def degree_classes(text: str) -> set[str]:
    """The degree classes ``text`` names."""
    return {name for name, pattern in DEGREES.items() if pattern.search(text)}


def has_phrase(haystack: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``haystack`` as whole words (both lowercased)."""
    return re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", haystack) is not None


K = TypeVar("K")
V = TypeVar("V")


def remembered(memo: dict[K, V], key: K, compute: Callable[[], V], limit: int = 5000) -> V:
    """``memo[key]``, computed and kept the first time while ``memo`` holds under ``limit``
    answers (a bounded memo for answers that depend on one profile)."""
    found = memo.get(key)
    if found is None:
        found = compute()
        if len(memo) < limit:
            memo[key] = found
    return found


@dataclass
class Facts:
    """The profile's facts: its text, tokens, numbers, degrees and certificates."""

    corpus: str  # every profile string, lowercased, one per line
    tokens: set[str]
    numbers: set[float]
    quantities: set[tuple[float, str]]  # (amount, "year" | "%") the profile states
    degrees: set[str]
    certificates: list[str]  # certificate names, as written
    allowed_names: set[str] = field(default_factory=set)  # job company / role / place tokens
    targets: list[str] = field(default_factory=list)  # the job's company and title, verbatim
    _targets_rx: re.Pattern[str] | None = field(default=None, repr=False)
    emails: set[str] = field(default_factory=set)  # addresses the profile states
    digits: set[str] = field(default_factory=set)  # digit runs of the profile (phones, ids)
    #: phrase -> whether the corpus has it; shared by the per-job copies of a profile's facts
    _in_corpus: dict[str, bool] = field(default_factory=dict, repr=False)
    #: the guard's answers for texts (see :func:`common.documents.guard.check`); shared by the
    #: per-job copies, keyed by what of a copy the answer depends on
    _checked: dict[tuple[object, ...], list[Violation]] = field(default_factory=dict, repr=False)

    def without_target(self, text: str) -> str:
        """``text`` with the job's company and title blanked: naming them claims nothing."""
        if not self.targets:
            return text
        if self._targets_rx is None:
            alts = "|".join(re.escape(p) for p in self.targets)  # longest first
            self._targets_rx = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.I)
        return self._targets_rx.sub(" ", text)

    def in_corpus(self, phrase: str) -> bool:
        """Whether the profile has ``phrase`` (lowercase) as whole words (remembered: the
        same skills and words are looked up for every job)."""
        return remembered(
            self._in_corpus, phrase, lambda: has_phrase(self.corpus, phrase), limit=10000
        )

    def traced(self, phrase: str) -> bool:
        """Whether ``phrase`` occurs in the profile (or names the job being applied to)."""
        low = phrase.lower()
        return self.in_corpus(low) or all(
            w in self.tokens or w in self.allowed_names for w in words(low)
        )


#: contact fields: their digits (phone, postcode) are not claims and never become facts
CONTACT_KEYS = frozenset({"email", "phone", "url", "address", "postalCode", "image", "username"})


def profile_strings(profile: Profile, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every string value of the profile in document order, without the keys in ``skip``."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in skip:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(profile.model_dump(mode="json"))
    return out


def profile_facts(profile: Profile) -> Facts:
    """The facts of ``profile`` alone (computed once per profile: see profile_index)."""
    strings = profile_strings(profile)
    edu = profile.education
    corpus = "\n".join(s.lower() for s in strings)
    return Facts(
        corpus=corpus,
        tokens=set(words(corpus)),
        quantities=set().union(set(), *(quantities(s) for s in strings)),
        numbers=set().union(set(), *(numbers(s) for s in profile_strings(profile, CONTACT_KEYS))),
        degrees=set().union(set(), *(degree_classes(f"{e.studyType} {e.area}") for e in edu)),
        certificates=[c.name for c in profile.certificates if c.name],
        emails={e.lower() for s in strings for e in EMAIL_RE.findall(s)},
        digits={d for s in strings for d in _digit_runs(s)},
    )


#: a phone-like run: digits with the usual separators
PHONE_RE = re.compile(r"(?<![\w.,])\+?\(?\d[\d\s().-]{5,}\d(?![\w.,]?\d)")
_NOT_PHONE = re.compile(r"\d{4}\s*[-–]\s*\d{4}|\d{4}-\d{2}(?:-\d{2})?")


def phones(text: str) -> list[tuple[str, str]]:
    """Phone numbers in ``text`` as (as written, digits only): 7-15 digits, not a year range
    or a date."""
    out = []
    for match in PHONE_RE.finditer(text):
        raw = match.group(0).strip()
        digits = re.sub(r"\D", "", raw)
        if 7 <= len(digits) <= 15 and not _NOT_PHONE.fullmatch(raw):
            out.append((raw, digits))
    return out


def _digit_runs(text: str) -> set[str]:
    """The digits of every phone-like run in ``text`` (separators removed)."""
    return {digits for _, digits in phones(text)}


def build_facts(
    profile: Profile, job: Job | None = None, *, years: int | None = None, base: Facts | None = None
) -> Facts:
    """The facts of ``profile`` (or ``base``, its cached facts); ``job`` adds only its company,
    title and location names, ``years`` the years of experience computed from the profile's
    dates (a document may state them)."""
    facts = replace(base) if base is not None else profile_facts(profile)
    facts.numbers = set(facts.numbers)
    facts.quantities = set(facts.quantities)
    if years:
        facts.numbers.add(float(years))
        facts.quantities.add((float(years), "year"))
    if job is not None:
        names = {clean_company(job.company), strip_links(job.title), role_name(job.title)} - {""}
        facts.targets = sorted(names, key=len, reverse=True)
        facts._targets_rx = None
        facts.allowed_names = set()
        for part in (job.company, job.title, job.location.display()):
            facts.allowed_names.update(words(part.lower()))
    return facts
