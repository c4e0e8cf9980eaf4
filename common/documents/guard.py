"""The guard: the one place that decides which generated text may leave the system.

A sentence may claim only what the candidate's profile holds: every employer, title, date,
degree, institution, certification, skill and number must trace to the profile (the company,
role and place of the job applied to are the only other names allowed). And it may carry
nothing that cannot come from the candidate: a URL, an email address or a phone number the
profile does not state, or an instruction ("please bcc ...", "ignore the previous ...",
"click ..."). A failing sentence is removed, or the whole text falls back to the template
built from the profile; every removed sentence is recorded with its reasons
(:class:`GuardEvent`).

The language of the text matters for reading it (which capitalized words open a sentence,
number words, "years" in that language, instruction phrasing): the lexicon is the language's
data file (``common/resources/languages``). Instructions are looked for in English too, since
an injected one may be in any language.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from importlib import resources

from common.documents.facts import (
    NUMBER_WORDS,
    Facts,
    degree_classes,
    numbers,
    phones,
    quantities,
    remembered,
    words,
)
from common.documents.titles import EMAIL_RE
from common.i18n.phrases import Phrases, phrases

SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[«¿¡]?[A-ZÀ-ÖØ-Þ0-9])")
ORG_SUFFIX_RE = re.compile(
    r"((?:[A-Z][\w&'-]*\s+){1,4})(GmbH|AG|Inc\.?|Ltd\.?|LLC|Corp\.?|Corporation|SE|plc|S\.A\.|"
    r"B\.V\.|Co\.|Group|Technologies|Labs|University|Institute|College)\b"
)
CERT_RE = re.compile(r"\bcertif|\bzertifi", re.I)
#: URLs: with a scheme, www., a path, or a bare domain of a common top-level domain
URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"')]+|\b[\w-]+(?:\.[\w-]+)+/[^\s<>\"')]*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|dev|app|ai|info|biz|xyz|example|de|fr|es|"
    r"uk|eu|ru|cn|me|ly|gl|link|click|site|online)\b",
    re.I,
)
#: acronyms a German text may use without a profile backing them
GERMAN_ACRONYMS = frozenset({"it", "edv", "ki", "gmbh", "ag", "z.b", "bzw", "ca", "usw"})


@dataclass(frozen=True)
class Violation:
    """One claim that does not trace to the profile, or content that cannot come from it."""

    kind: str  # number, degree, skill, seniority, certification, organization, name,
    # url, email, phone, instruction
    value: str


@dataclass
class GuardEvent:
    """A piece of output the guard changed, and why."""

    field: str
    action: str  # "removed" (the sentence dropped), "regenerated" (template used), "flagged"
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


@lru_cache(maxsize=64)
def _terms_rx(extra: frozenset[str]) -> re.Pattern[str]:
    """The shipped skill names and ``extra`` (a job's watched terms) as one pattern."""
    terms = skill_vocabulary() | extra
    alts = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    # an apostrophe ends no term: "c'est" does not name the C language
    return re.compile(rf"(?<![\w'’]){alts and f'(?:{alts})'}(?![\w'’])")


@dataclass(frozen=True)
class Lexicon:
    """What the guard reads a language with."""

    openers: frozenset[str]
    seniority: re.Pattern[str]
    number_words: dict[str, int]
    quantity: re.Pattern[str]
    instructions: tuple[re.Pattern[str], ...]
    capitalized_nouns: bool
    language_names: frozenset[str]
    english: bool


@cache
def lexicon(code: str) -> Lexicon:
    """The guard's lexicon for the language ``code`` (English for an unsupported one)."""
    say: Phrases = phrases(code)
    english = phrases("en")
    number_words = dict(NUMBER_WORDS)
    if say.code != "en":  # "un", "ein", "uno" are articles too: one is never read as a number
        number_words.update(
            {str(w).lower(): n for n, w in say.data["number_words"].items() if n > 1}
        )
    units = "|".join(re.escape(u) for u in sorted(say.words("year_units") | {"years", "year"}))
    # a word amount starts a word (the same matches: not retried at every letter inside one)
    amounts = r"\d+(?:[.,]\d+)?|(?<![^\W\d_])[^\W\d_]+"
    quantity = re.compile(rf"({amounts})\s*\+?\s*({units}|%|percent)(?![\w])", re.I)
    seniority = sorted(say.words("seniority") | english.words("seniority"), key=len, reverse=True)
    patterns = tuple(
        p for p in (say.patterns("instructions"), english.patterns("instructions")) if p is not None
    )
    return Lexicon(
        openers=say.words("openers"),
        seniority=re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, seniority))})(?![\w])", re.I),
        number_words=number_words,
        quantity=quantity,
        instructions=patterns,
        capitalized_nouns=bool(say.data.get("capitalized_nouns")),
        language_names=frozenset(str(n).lower() for n in say.data["language_names"].values()),
        english=say.code == "en",
    )


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (kept verbatim)."""
    return [s for s in SENTENCE_END_RE.split(text.strip()) if s]


def check(
    text: str, facts: Facts, extra_skills: tuple[str, ...] = (), language: str = "en"
) -> list[Violation]:
    """Every claim in ``text`` that the profile does not back, and everything that cannot come
    from the candidate (links, addresses, phone numbers, instructions).

    ``extra_skills`` are terms to watch for besides the shipped vocabulary: typically the
    posting's requirements, the skills a model is most tempted to invent.
    """
    original, text = text, facts.without_target(text)
    low = text.lower()
    # the same sentences come back job after job (one profile's summary, evidence and
    # extras): the answer is remembered, keyed by all it depends on besides the profile's own
    # facts (shared by the per-job copies): the job's names that the text contains, the
    # numbers the profile may state (its years of experience change with the day), the
    # watched terms, and whether the text names a certificate of the profile
    certified = any(c.lower() in original.lower() for c in facts.certificates)
    key = (
        text,
        language,
        extra_skills,
        frozenset(n for n in facts.allowed_names if n in low),
        frozenset(facts.numbers),
        frozenset(facts.quantities),
        certified,
    )
    found = remembered(
        facts._checked, key, lambda: _check(text, low, facts, extra_skills, language, certified)
    )
    return list(found)


def _check(
    text: str,
    low: str,
    facts: Facts,
    extra_skills: tuple[str, ...],
    language: str,
    certified: bool,
) -> list[Violation]:
    """:func:`check` of ``text`` (the job's company and title blanked, ``low`` its lower
    case); ``certified``: the text as written names a certificate of the profile."""
    lex = lexicon(language)
    found = _foreign_content(text, facts, lex)
    found += [
        Violation("number", _fmt(n))
        for n in sorted(numbers(text, lex.number_words) - facts.numbers)
    ]
    claimed = quantities(text, lex.quantity, lex.number_words)
    for amount, unit in sorted(claimed - facts.quantities):
        found.append(Violation("number", f"{_fmt(amount)} {'years' if unit == 'year' else '%'}"))
    found += [Violation("degree", d) for d in sorted(degree_classes(text) - facts.degrees)]
    extra = frozenset(t.lower() for t in extra_skills if t.strip())
    for term in sorted({m.group(0) for m in _terms_rx(extra).finditer(low)}):
        if not facts.in_corpus(term):
            found.append(Violation("skill", term))
    for word in sorted({m.group(0).lower() for m in lex.seniority.finditer(text)}):
        if not facts.in_corpus(word):
            found.append(Violation("seniority", word))
    if CERT_RE.search(text) and not certified:
        found.append(Violation("certification", "a certification the profile does not list"))
    for match in ORG_SUFFIX_RE.finditer(text):
        parts = match.group(0).split()
        while parts and parts[0].lower() in lex.openers:
            parts.pop(0)
        name = " ".join(parts)
        if len(parts) > 1 and not facts.traced(name):
            found.append(Violation("organization", name))
    found += [Violation("name", n) for n in _untraced_names(text, facts, lex)]
    return list(dict.fromkeys(found))


def _foreign_content(text: str, facts: Facts, lex: Lexicon) -> list[Violation]:
    """Links, addresses and phone numbers the profile does not state, and instructions."""
    out: list[Violation] = []
    for email in EMAIL_RE.findall(text):
        if email.lower() not in facts.emails:
            out.append(Violation("email", email))
    for url in URL_RE.findall(EMAIL_RE.sub(" ", text)):
        bare = url.rstrip(".,;:").lower()
        if bare.split("://")[-1].removeprefix("www.") not in facts.corpus:
            out.append(Violation("url", url.rstrip(".,;:")))
    for raw, digits in phones(text):
        if digits not in facts.digits:
            out.append(Violation("phone", raw))
    for rx in lex.instructions:
        m = rx.search(text)
        if m:
            out.append(Violation("instruction", m.group(0).strip()))
            break
    return out


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _untraced_names(text: str, facts: Facts, lex: Lexicon) -> list[str]:
    """Capitalized words (names of people, places, employers, schools) the facts lack.

    In a language that capitalizes nouns (German), only acronyms and names with inner
    capitals are names."""
    out: list[str] = []
    for sentence in sentences(text):
        for line in sentence.splitlines():
            tokens = words(line)
            for i, token in enumerate(tokens):
                parts = token.split("-") if lex.capitalized_nouns else [token]
                for part in parts:
                    if part and _is_untraced_name(part, i, facts, lex):
                        out.append(part)
    return out


def _is_untraced_name(token: str, i: int, facts: Facts, lex: Lexicon) -> bool:
    if not any(map(str.isupper, token)):
        return False
    low = token.lower()
    if low in facts.tokens or low in facts.allowed_names or low in lex.language_names:
        return False
    if token == "I" or token.startswith(("I'", "I’")):  # I, I'm, I've, I'd
        return False
    if lex.capitalized_nouns:
        inner = any(c.isupper() for c in token[1:])
        return inner and low.strip(".") not in GERMAN_ACRONYMS and low not in lex.openers
    if i == 0 and (low in lex.openers or low.endswith(("ly", "ing", "ed"))):
        return False
    if i == 0 and not lex.english and token[1:].islower():
        # French and Spanish open sentences with verbs ("Quiero", "Travaillant"): a name at
        # the start is caught by its second word, or by the other checks
        return False
    return not (low in lex.openers and token != token.upper())


def guard_text(
    field_name: str,
    text: str,
    facts: Facts,
    *,
    fallback: str,
    extra_skills: tuple[str, ...] = (),
    events: list[GuardEvent],
    language: str = "en",
) -> str:
    """``text`` without the sentences that claim what the profile lacks.

    When more than half of it would go, ``fallback`` (the deterministic text, or "" to drop
    the text) is used instead. Each removed sentence is appended to ``events`` with its
    reasons (and, on a fallback, one "regenerated" event for the whole text).
    """
    parts = sentences(text)
    kept: list[str] = []
    rejected: list[tuple[str, list[Violation]]] = []
    for sentence in parts:
        problems = check(sentence, facts, extra_skills, language)
        if problems:
            rejected.append((sentence, problems))
        else:
            kept.append(sentence)
    if not rejected:
        return text.strip()
    events += [GuardEvent(field_name, "removed", s, vs) for s, vs in rejected]
    if not kept or len(kept) < len(parts) / 2:
        if fallback:
            events.append(GuardEvent(field_name, "regenerated", text.strip(), []))
        return fallback
    return " ".join(kept)
