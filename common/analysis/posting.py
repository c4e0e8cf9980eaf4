"""Reading a posting the way a person would: which skills it requires, which it would like,
how many years of experience it asks for.

The whole text is tokenized once, its line breaks and sentence ends kept; only the
sentences with a word of a skill alias are looked up, each hit placed in its line's section
("Requirements", "Nice to have", "About us" ...) and its sentence. Three things real postings
do that a naive reader gets wrong:

- "Kafka is a plus" / a "Preferred" section: nice to have, never held against the candidate;
- "experience with one of Java, Go, Python or C++": alternatives, one requirement (met by
  any of them), not four skills the candidate misses;
- "over 200 years of history", "10 years of growth": not a years-of-experience demand (only
  numbers near "experience", at most 15, count).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, compress, count
from typing import NamedTuple

from common.analysis.lexical import TOKEN, WordBag, plain
from common.analysis.lexicon import LANGUAGE_CUES, SKILLS, merged


def _boundary_after(pattern: str) -> re.Pattern[str]:
    """``pattern`` with each word boundary before a literal word (``\\bplus``) checked after
    the word, by a look-behind (``plus(?<!\\wplus)``): the same matches, but the search can
    skip to the words' first letters, where a leading ``\\b`` makes it try every position."""
    return re.compile(re.sub(r"\\b([a-z]+)(?![a-z?*+{])", r"\1(?<!\\w\1)", pattern))


def _not_within_word(phrases: tuple[str, ...], end: str = "") -> re.Pattern[str]:
    """Any of ``phrases`` (patterns, each starting with a literal word) where it starts a word,
    then ``end``: each checks the character before its first word once found (a leading
    ``\\b`` would make the search try every position of the text)."""
    out = []
    for phrase in phrases:
        first = re.match(r"\w+", phrase)  # a word ("één van" too)
        assert first is not None, phrase
        word = first.group(0)
        out.append(f"{word}(?<!\\w{word}){phrase[len(word) :]}")
    return re.compile("(?:" + "|".join(out) + ")" + end)


class _Cues(NamedTuple):
    """The reader's cues in a set of languages: English's (written below), or English's and
    those of common/resources/ranking/cues.json (French, German, Spanish, Dutch) of the
    languages a text is in (:func:`_cues_for`), so that English texts do not pay for them.

    They run on a sentence's lower-case words joined by single spaces (see _words): no case
    folding, no punctuation to allow for."""

    nice: re.Pattern[str]
    #: words one of which every alternative of ``nice`` contains: a sentence without any is
    #: not searched (most are not; ``in`` runs at C speed where the alternation tries each
    #: position)
    nice_words: tuple[str, ...]
    required_heading: re.Pattern[str]
    #: words one of which every alternative of ``required_heading`` contains (as nice_words)
    required_words: tuple[str, ...]
    other_heading: re.Pattern[str]
    duty_heading: re.Pattern[str]
    #: a sentence that demands what it names (outside a requirement section)
    required_cue: re.Pattern[str]
    #: the skills of a sentence are alternatives, one requirement
    alternatives: re.Pattern[str]
    #: a number of years near "experience" ("5 years of experience"; with the other languages
    #: also "expérience de 3 à 5 ans"), the number the last group of a match; its first digit
    #: checks the character before it once found (a leading look-behind would make the search
    #: try every position)
    years: re.Pattern[str]
    #: words, besides "year" and "yrs", one of which a text holds (as written, or in lower
    #: case) where it says a number of years: "Jahr", "jahr", " ans" ...
    year_words: tuple[str, ...]
    #: a line that is a sentence, not a heading (English: "?" too; in the other languages
    #: headings are often questions: "¿Qué buscamos?", "Was bringst du mit?")
    sentence_end: re.Pattern[str]
    #: abbreviations (lower case, without their last dot: "mind", "z.b") whose dot ends no
    #: sentence ("mind. 3 Jahre"), and :data:`_PIECES` that knows them (English: none)
    abbreviations: frozenset[str]
    pieces: re.Pattern[str]
    #: one-word aliases that are common words of these languages ("tableau de bord"), and
    #: the words after which such a word written with a capital at a sentence's start is
    #: still the common word ("Tableau de bord", "Vue d'ensemble")
    common_words: frozenset[str]
    common_words_next: frozenset[str]


_NICE_WORDS = (
    "nice", "bonus", "plus", "preferred", "good to have", "ideally", "would be great",
    "extra points", "not required", "desir", "familiarity",
)  # fmt: skip
_REQ_WORDS = (
    "require", "must", "you", "qualifications", "we expect", "looking for", "skills",
    "experience",
)  # fmt: skip
_REQ_CUE_PHRASES = (
    "you have",
    "you bring",
    "required",
    "must",
    "experience (?:with|in)",
    "proficien",
)
_ALTERNATIVE_PHRASES = (
    "or", "one of", "one or more", "any of", "such as", r"e\.g", "for example", "similar",
    "like", "at least one",
)  # fmt: skip


#: a word, a line break, or the empty string where a sentence ends within a line (after
#: ".;!?" and before a space, as ``(?<=[.;!?])\s+`` splits a line)
#: (a word of TOKEN written as two alternatives, with and without its leading dot: the same
#: matches, a tenth faster than the optional dot the search tries at every position)
_WORD = TOKEN.pattern.removeprefix("\\.?")
_PIECES = re.compile(rf"{_WORD}|\.{_WORD}|\n|(?<=[.;!?])(?=[^\S\n])")


def _pieces_knowing(abbreviations: tuple[str, ...]) -> re.Pattern[str]:
    """:data:`_PIECES` where the dot of ``abbreviations`` (lower case, as _words writes them:
    "mind", "z.b"), in any case, ends no sentence: "(mind. 3 Jahre)" is one sentence."""
    if not abbreviations:
        return _PIECES
    not_after = "".join(rf"(?<!(?<![^\W_])(?i:{re.escape(word)})\.)" for word in abbreviations)
    return re.compile(rf"{_WORD}|\.{_WORD}|\n|(?<=[.;!?])(?=[^\S\n]){not_after}")


def _abbreviated(lowered: str, abbreviations: frozenset[str]) -> bool:
    """Whether a text (``lowered``: its pieces joined, lower case) has a sentence end (two
    spaces) after one of ``abbreviations``: a look at the word before each sentence end."""
    end = lowered.find("  ")
    while end >= 0:
        if lowered[lowered.rfind(" ", 0, end) + 1 : end] in abbreviations:
            return True
        end = lowered.find("  ", end + 2)
    return False


def _cue_set(other: dict[str, tuple[str, ...]]) -> _Cues:
    """English's cues, with ``other`` (kind -> patterns or words, as
    :func:`common.analysis.lexicon.merged` gives them) added."""

    def also(kind: str) -> str:
        return "".join("|" + pattern for pattern in other.get(kind, ()))

    def one_of(kind: str) -> str:
        return "(?:" + "|".join(other[kind]) + ")"

    # "expérience de 3 à 5 ans", "Erfahrung von mindestens 3 Jahren": the experience first
    before = (
        rf"|{one_of('experience')}\b(?: \S+){{0,5}}? (\d(?<![\w.]\d)\d?)\+?(?:-\d{{1,2}}\+?)?"
        rf"(?: {one_of('range')} \d{{1,2}}\+?)? {one_of('year_units')}\b"
        if other
        else ""
    )

    return _Cues(
        # (French "plus" is "more" too: "plus de 5 ans", "de plus", "le plus" are no cue)
        nice=_boundary_after(
            r"nice-to-have|nice to have|\bbonus|\ba plus\b|\bplus\b(?! de\b)(?! d\b)(?! que\b)"
            r"(?<!(?<!\w)de plus)(?<!(?<!\w)le plus)(?<!(?<!\w)la plus)(?<!(?<!\w)ou plus)"
            r"|\bpreferred|good to have|ideally|would be great|extra points|not required"
            r"|\bdesired|\bdesirable|\bfamiliarity" + also("nice")
        ),
        nice_words=(*_NICE_WORDS, *other.get("nice_words", ())),
        required_heading=_boundary_after(
            r"requirement|required|must-have|must have|you have|you bring|qualifications"
            r"|your profile|we expect|looking for|you should have|\bskills|\bexperience"
            r"|who you are|you ll need" + also("required_heading")
        ),
        required_words=(*_REQ_WORDS, *other.get("required_words", ())),
        other_heading=_boundary_after(
            r"about us|about the company|who we are|benefits|we offer|perks|why join"
            r"|compensation|equal opportunity|about the team" + also("other_heading")
        ),
        duty_heading=_boundary_after(
            r"responsibilit|you ll do|you will do|the role|your role|day to day"
            + also("duty_heading")
        ),
        required_cue=_not_within_word((*_REQ_CUE_PHRASES, *other.get("required_cue", ()))),
        alternatives=_not_within_word(
            (*_ALTERNATIVE_PHRASES, *other.get("alternatives", ())), end=r"\b"
        ),
        years=re.compile(
            r"(\d(?<![\w.]\d)\d?)\+?(?:-\d{1,2}\+?)?(?: (?:to"
            + also("range")
            + r") \d{1,2}\+?)? (?:years?|yrs"
            + also("year_units")
            + r")\b(?: \S+){0,8}? "
            r"(?:experience|exp|programming|developing|building|working|engineering|industry"
            + also("experience")
            + r")\b"
            + before
        ),
        year_words=other.get("year_words", ()),
        sentence_end=re.compile(r"[.!](\s|$)" if other else r"[.!?](\s|$)"),
        abbreviations=frozenset(other.get("abbreviations", ())),
        pieces=_pieces_knowing(other.get("abbreviations", ())),
        common_words=frozenset(other.get("common_words", ())),
        common_words_next=frozenset(other.get("common_words_next", ())),
    )


#: English's cues
_ENGLISH = _cue_set({})


@cache
def _cues_of(languages: tuple[str, ...]) -> _Cues:
    """English's cues and those of ``languages`` (for a text of :func:`_cues_for`), compiled
    when first needed: about 20 ms at import that English-only work never uses."""
    return _cue_set(merged(languages))


def _every() -> _Cues:
    """Every language's cues."""
    return _cues_of(tuple(LANGUAGE_CUES))


#: language -> its common words (lower case), one of which any text in it has ("de", "und",
#: "y", "het")
_LANGUAGE_WORDS = tuple(
    (language, frozenset(kinds["language_words"])) for language, kinds in LANGUAGE_CUES.items()
)
#: every language's common words
_OTHER_LANGUAGE = frozenset(chain.from_iterable(words for _, words in _LANGUAGE_WORDS))


def _cues_for(words: set[str]) -> _Cues:
    """The cues to read a text with (``words``: its distinct words, lower case): English's,
    and those of each language one of whose common words it has (a set lookup of a few words,
    where a scan of the text for them costs as much as reading a sentence). Dutch "of" is
    "or" only in a text with a Dutch word."""
    if _OTHER_LANGUAGE.isdisjoint(words):
        return _ENGLISH
    return _cues_of(tuple(lang for lang, own in _LANGUAGE_WORDS if not own.isdisjoint(words)))


def _is_nice(text: str, cues: _Cues) -> bool:
    """Whether ``text`` (as _words joins it) says something is nice to have."""
    return any(map(text.__contains__, cues.nice_words)) and cues.nice.search(text) is not None


def _says_years(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` has one of ``words`` (a :class:`_Cues`' ``year_words``: "Jahr" ...);
    asked after "year" and "yrs", only for a text of another language than English."""
    return any(map(text.__contains__, words))


MAX_YEARS = 15


def _alias_tables() -> tuple[dict[tuple[str, ...], str], dict[str, str], int]:
    """Aliases as lower-case word tuples -> skill, the case-sensitive one-word aliases (an
    alias with a capital letter: "Go", "REST") -> skill, and the longest alias in words."""
    lower: dict[tuple[str, ...], str] = {}
    exact: dict[str, str] = {}
    for name, aliases in SKILLS.items():
        for alias in aliases:
            if any(c.isupper() for c in alias):
                exact[alias] = name
            else:
                lower[tuple(TOKEN.findall(alias))] = name
    return lower, exact, max(len(k) for k in lower)


_LOWER, _EXACT, _LONGEST = _alias_tables()
_ONE_WORD = {k[0]: v for k, v in _LOWER.items() if len(k) == 1}
_ONE_WORD_KEYS = frozenset(_ONE_WORD)  # a set: ``set & dict.keys()`` would copy the keys
#: first words of aliases of several words (only then are longer sequences looked up)
_STARTS = frozenset(k[0] for k in _LOWER if len(k) > 1)
_EXACT_WORDS = frozenset(_EXACT)
_EXACT_LOWER = frozenset(w.lower() for w in _EXACT)
#: start word -> the second words of the aliases it starts (a sequence is looked up only
#: where both are present)
_SECONDS: dict[str, frozenset[str]] = {
    w: frozenset(k[1] for k in _LOWER if len(k) > 1 and k[0] == w) for w in _STARTS
}
#: every second word of an alias of several words: a text without any names none of them
_ANY_SECOND = frozenset(chain.from_iterable(_SECONDS.values()))


def _longer() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The word a text must hold to name an alias of several words (its longest, mostly the
    rarest: "computer" of "computer vision"), when it is no alias on its own -> the aliases it
    stands for ("data" -> ("data", "lake"))."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for alias in _LOWER:
        word = max(alias, key=len)
        if len(alias) > 1 and word not in _ONE_WORD_KEYS:
            out[word] = (*out.get(word, ()), alias)
    return out


_LONGER = _longer()


def _aliases_by_skill() -> dict[str, list[tuple[str, ...]]]:
    """Skill -> its lower-case aliases, as word tuples."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for alias, name in _LOWER.items():
        out.setdefault(name, []).append(alias)
    return out


_ALIASES = _aliases_by_skill()
_CANONICAL = {" ".join(k): name for k, name in _LOWER.items()}
_CANONICAL.update({name: name for name in SKILLS})


def _phrases(lowered: list[str], starts: set[str]) -> list[str]:
    """The skills of the aliases of several words in ``lowered`` (the longest at each
    place), looked for only where a first word of one (of ``starts``) is followed by a
    second word of one."""
    found = []
    n = len(lowered)
    for i in compress(count(), map(starts.__contains__, lowered)):
        if i + 1 < n and lowered[i + 1] in _SECONDS[lowered[i]]:
            for size in range(min(_LONGEST, n - i), 1, -1):
                hit = _LOWER.get(tuple(lowered[i : i + size]))
                if hit:
                    found.append(hit)
                    break
    return found


def _skills(original: list[str] | str, lowered: list[str]) -> list[str]:
    """The distinct canonical skills a word sequence names (``original``: as written, or
    joined by spaces, split only when a case-sensitive alias may be among them; ``lowered``:
    the same words in lower case): the one-word aliases', then the longer ones' in order of
    mention, then the case-sensitive ones'."""
    present = set(lowered)
    found = [_ONE_WORD[w] for w in present & _ONE_WORD_KEYS]
    if not present.isdisjoint(_ANY_SECOND):  # else no alias of several words is there
        starts = present & _STARTS
        for start in starts:  # a loop, not any(): no generator made for each sentence
            if not present.isdisjoint(_SECONDS[start]):
                found += _phrases(lowered, starts)
                break
    if not _EXACT_LOWER.isdisjoint(present):  # else no case-sensitive alias, in any case
        exact = _EXACT_WORDS.intersection(
            original.split() if isinstance(original, str) else original
        )
        if exact:
            found += [_EXACT[w] for w in exact]
    return list(dict.fromkeys(found))


def _words(text: str) -> tuple[list[str], list[str]]:
    original = TOKEN.findall(text)
    return original, " ".join(original).lower().split(" ") if original else []


def skills_in(text: str) -> set[str]:
    """Canonical skill names that ``text`` mentions (by any alias)."""
    return set(_skills(*_words(text)))


def canonical(term: str) -> str:
    """A skill's canonical name when the lexicon knows it, else the term lower-cased."""
    t = term.strip().lower()
    return _CANONICAL.get(" ".join(TOKEN.findall(t)), t)


@dataclass
class Posting:
    """What a posting asks for.

    ``required``: groups of alternatives (a group is met when the candidate has any of it);
    ``nice``: skills it would like; ``mentions``: every skill hit, with repeats (how much of
    the text is about each skill); ``title_skills``: skills named in the title."""

    required: list[frozenset[str]] = field(default_factory=list)
    nice: set[str] = field(default_factory=set)
    mentions: dict[str, int] = field(default_factory=dict)
    title_skills: set[str] = field(default_factory=set)
    years: int | None = None
    words: WordBag = field(default_factory=lambda: WordBag([]))

    @property
    def bag(self) -> Counter[str]:
        """The posting's words and word pairs, counted (:func:`common.analysis.lexical.bag_of`)."""
        return self.words.counter()

    @property
    def required_skills(self) -> set[str]:
        """Every skill named in a requirement."""
        return {s for group in self.required for s in group}


def _kind_of_line(line: str, words: str, current: str, cues: _Cues = _ENGLISH) -> str:
    """The section a line starts (when it is a short heading), else the current one.
    ``words``: the line's words, lower case, as :func:`_pieces` joins them."""
    if len(line) > 60 or line.startswith(("-", "*", "•")) or cues.sentence_end.search(line):
        return current
    line = " ".join(words.split())
    if _is_nice(line, cues):
        return "nice"
    if cues.other_heading.search(line):
        return "other"
    if any(map(line.__contains__, cues.required_words)) and cues.required_heading.search(line):
        return "required"
    if cues.duty_heading.search(line):
        return "duties"
    return current


_NONE: frozenset[str] = frozenset()


def _skill_cues(distinct: set[str]) -> set[str]:
    """The words that may name a skill in a text (``distinct``: its words, lower case), one of
    which a sentence holds when it names one: the text's one-word aliases, and the word of an
    alias of several words (:data:`_LONGER`) only when the text holds every word of the alias
    ("data", "platform" or "cloud" alone name none: a sentence with only those is not looked
    up)."""
    cues = distinct.intersection(_ONE_WORD_KEYS)
    for word in distinct.intersection(_LONGER):
        for alias in _LONGER[word]:
            if distinct.issuperset(alias):
                cues.add(word)
                break
    return cues


def _may_name(text: str, cues: set[str], exact: set[str] | frozenset[str]) -> bool:
    """Whether a sentence (``text``: lower case) may have a word of ``cues`` or ``exact``: a
    substring test of the few skill words of its line, where splitting it costs more."""
    return bool(exact) or any(map(text.__contains__, cues))


def _named(
    original: str, words: list[str], cues: set[str], exact: set[str] | frozenset[str]
) -> list[str]:
    """:func:`_skills` of a sentence (``original``: as written, joined by spaces; ``words``:
    lower case), looked up only when it has a word of ``cues`` or ``exact`` (the text's words
    of :func:`_skill_cues` and :data:`_EXACT_WORDS`): most sentences name no skill."""
    if cues.isdisjoint(words) and (not exact or exact.isdisjoint(original.split())):
        return []
    return _skills(original, words)


def _pieces(text: str) -> list[str]:
    """``text``'s words (:data:`TOKEN`), its line breaks (``"\\n"``) and the sentence ends
    within a line (``""``), in order: one tokenizing pass over the whole text, where splitting
    it into sentences first and tokenizing each costs twice as much. Joined by single spaces:
    two spaces part sentences."""
    return _PIECES.findall(text)


def read_posting(title: str, description: str) -> Posting:
    """Required and nice-to-have skills and years demanded by a posting, and its word bag (for
    the lexical similarity)."""
    description = plain(description)  # every test below alike, most texts one byte a char
    title_original, title_lowered = _words(title)
    post = Posting(title_skills=set(_skills(title_original, title_lowered)))
    for skill in post.title_skills:
        post.mentions[skill] = 2
    body: list[frozenset[str]] = []
    years: list[int] = []
    current = "body"
    joined = " ".join(_pieces(description))
    lowered = joined.lower()
    lows = lowered.split("\n")
    line_words = [low.split() for low in lows]  # each line's words, lower case
    every = title_lowered + list(chain.from_iterable(line_words))
    distinct = set(every)  # each word looked up once below, not once a mention
    cues = _skill_cues(distinct)
    cased = _EXACT_LOWER.intersection(distinct)  # case-sensitive aliases, in any case
    # a superset of the case-sensitive aliases the text names (as written): enough for _named
    exact = {w for w in _EXACT_WORDS if w.lower() in cased} if cased else set()
    languages = _cues_for(distinct)
    if not languages.abbreviations.isdisjoint(distinct) and _abbreviated(
        lowered, languages.abbreviations
    ):
        # "(mind. 3 Jahre)": the same words, without the sentence ends after abbreviations
        joined = " ".join(languages.pieces.findall(description))
        lowered = joined.lower()
        lows = lowered.split("\n")
    raws, lines = description.split("\n"), joined.split("\n")
    year_words = languages.year_words  # besides "year" and "yrs" (English's: none)
    years_said = (
        "year" in description
        or "yrs" in description
        or (year_words and _says_years(description, year_words))
    )
    for raw, line, low, said in zip(raws, lines, lows, line_words, strict=True):
        raw = raw.strip()
        if not raw:
            continue
        current = _kind_of_line(raw, low, current, languages)
        if (
            current == "other"
            and "year" not in low
            and "yrs" not in low
            and not (year_words and _says_years(low, year_words))
        ):
            continue  # about the company or its benefits: only a years demand counts there
        named = cues.intersection(said)  # the skill words of this line
        cased_here = exact if not cased.isdisjoint(said) else _NONE
        if (
            not named
            and not cased_here
            and not (
                years_said
                and ("year" in raw or "yrs" in raw or (year_words and _says_years(raw, year_words)))
            )
        ):
            continue  # no sentence of it names a skill or says "year" ("yrs")
        pairs = (
            [(line, low)]
            if current == "nice"
            else zip(line.split("  "), low.split("  "), strict=True)
        )
        for original_text, text in pairs:
            says_year = years_said and (
                "year" in original_text
                or "yrs" in original_text
                or (year_words and _says_years(original_text, year_words))
            )
            if not says_year and not _may_name(text, named, cased_here):
                continue
            words = text.split()
            found = _named(original_text, words, named, cased_here)
            if not found and not says_year:
                continue
            sentence = " ".join(words)
            if (
                "year" in sentence
                or "yrs" in sentence
                or (year_words and _says_years(sentence, year_words))
            ):
                years += [int(m[m.lastindex]) for m in languages.years.finditer(sentence)]
            if not found or current == "other":
                continue
            for skill in found:
                post.mentions[skill] = post.mentions.get(skill, 0) + 1
            if current == "nice" or _is_nice(sentence, languages):
                post.nice.update(found)
                continue
            if len(found) > 1 and languages.alternatives.search(sentence):
                groups = [frozenset(found)]
            else:
                groups = [frozenset({s}) for s in found]
            if current == "required" or languages.required_cue.search(sentence):
                post.required.extend(groups)
            else:
                body.extend(groups)
    if not post.required:
        post.required = body
    post.required.extend(frozenset({s}) for s in post.title_skills)
    post.required = list(dict.fromkeys(post.required))
    post.nice -= post.required_skills
    if not languages.common_words.isdisjoint(distinct):
        _drop(post, _common_words(title, description, distinct, languages))
    years = [y for y in years if 0 < y <= MAX_YEARS]
    post.years = max(years) if years else None
    post.words = WordBag(every)
    return post


def _common_words(title: str, description: str, distinct: set[str], cues: _Cues) -> set[str]:
    """The skills a text of another language than English names only by a common word of that
    language (``cues.common_words`` never written as a name, "tableau de bord", and no other
    alias of the skill among its words: "Power BI" is still a BI tool)."""
    out = set()
    for word in cues.common_words.intersection(distinct):
        skill = _ONE_WORD[word]
        name = word.capitalize()
        if _as_name(name, title, cues) or _as_name(name, description, cues):
            continue
        if not any(distinct.issuperset(a) for a in _ALIASES[skill] if a != (word,)):
            out.add(skill)
    return out


#: what may stand between a sentence's start and its first word: spaces, list markers, quotes
_LEAD = frozenset(" \t*-~\"'(«")
#: the word after a name (past spaces and an apostrophe: "Vue d'ensemble")
_NEXT = re.compile(r"[\s']*([^\W\d_]+)")


def _as_name(name: str, text: str, cues: _Cues) -> bool:
    """Whether ``text`` writes ``name`` ("Tableau": a common word with a capital) as a name:
    as a whole word, within a sentence, or at a sentence's or line's start (where every word
    has a capital) unless the next word makes it the common word ("Tableau de bord")."""
    if name not in text:
        return False
    for found in re.finditer(rf"(?<![^\W_]){re.escape(name)}(?![^\W_])", text):
        i = found.start() - 1
        while i >= 0 and text[i] in _LEAD:
            i -= 1
        if i >= 0 and text[i] not in ".!?\n\r":
            return True  # within a sentence
        following = _NEXT.match(text, found.end())
        if following is None or following.group(1).lower() not in cues.common_words_next:
            return True
    return False


def _drop(post: Posting, skills: set[str]) -> None:
    """``post`` without ``skills``: not mentioned, required or nice to have."""
    for skill in skills:
        post.mentions.pop(skill, None)
    post.title_skills -= skills
    post.nice -= skills
    post.required = [g - skills for g in post.required if not g <= skills]
