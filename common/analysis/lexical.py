"""Lexical similarity between the profile and a posting: BM25 over the postings seen so far.

The profile is the query (its words and word pairs, stop words dropped); each posting is a
document. BM25 needs only the document frequency of the query's own terms, the number of
postings and their mean length: :class:`CorpusStats` keeps exactly that (small enough for one
store document), updated as postings are seen. The score is divided by the largest score a
document could reach for this query, so it lies in 0..1 whatever the profile's length.

Both need of a posting only its length and the counts of the query's terms: a
:class:`WordBag` counts just those (its full bag, for the candidate's own model, on demand),
as most word pairs of a long posting are in no query and joining them all costs more than
the rest of the lexical work.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from itertools import chain, compress, filterfalse, islice, pairwise

K1 = 1.2
B = 0.75


def _letters(end: int = 0x530) -> str:
    """The letters and digits below ``end`` as the body of a character class (ranges): those of
    the Latin, Greek and Cyrillic alphabets, every European language's ("é", "ß", "ñ", "ł",
    "ж"), as ``\\w`` has them but "_". As a class of ranges, sre looks a character up in one
    table; ``\\w`` asks the Unicode database for each (tokenizing a posting a third slower)."""
    chars = "".join(map(chr, range(end)))
    found = [(m.start(), m.end() - 1) for m in re.finditer(r"[^\W_]+", chars)]
    return "".join(
        re.escape(chars[a]) if a == b else f"{re.escape(chars[a])}-{re.escape(chars[b])}"
        for a, b in found
    )


_LETTERS = _letters()
#: a word as the ranker sees it: "c++", "c#", ".net", "node.js", "back-end" ("ci/cd" is two),
#: in the Latin, Greek and Cyrillic alphabets ("réaliser", "übersicht": never "r" + "aliser";
#: "_" parts words, as before); possessive: nothing follows that could make it give characters
#: back, so it never tries
TOKEN = re.compile(rf"\.?[{_LETTERS}#+]++(?:[.-][{_LETTERS}+#]++)*+")


#: the typographic punctuation of scraped postings -> an ASCII stand-in that every test the
#: posting reader and the injection scan (common.analysis.contact) run on a text sees alike:
#: neither is a word character, whitespace (unless both are, and the stand-in is no " ",
#: which the cue " ans" holds), a sentence end, a line break, "," or ":"; a curly apostrophe
#: is "'" (the injection scan's "candidate's phone" is written with either), a dash no "-"
#: (which joins words: "back-end"), a bullet a list marker ("*"). A text holding one
#: character above U+00FF is stored two bytes a character and is slower to scan: with these
#: replaced, most postings are ASCII
STAND_INS = (
    ("\u2019", "'"),  # ’ (an apostrophe: "candidate’s phone" is "candidate's phone")
    ("\u2018", "'"),  # ‘
    ("\u201c", '"'),  # “
    ("\u201d", '"'),  # ”
    ("\u2013", "~"),  # – (en dash)
    ("\u2014", "~"),  # — (em dash)
    ("\u2026", "~"),  # … (no sentence end, as "." would be)
    ("\u2022", "*"),  # • (a list marker, as "*")
    ("\u202f", "\t"),  # narrow no-break space
    ("\u2009", "\t"),  # thin space
)


def plain(text: str) -> str:
    """``text`` with :data:`STAND_INS` replaced (the same length; about 4 µs a posting)."""
    if not text.isascii():
        for char, stand_in in STAND_INS:
            text = text.replace(char, stand_in)
    return text


def _stop_words() -> frozenset[str]:
    path = resources.files("common.resources") / "ranking" / "stopwords.txt"
    lines = path.read_text("utf-8").split()
    return frozenset(w for w in lines if not w.startswith("#"))


STOP = _stop_words()


def bag_of(words: list[str]) -> Counter[str]:
    """Words (lower case; stop words dropped) and adjacent word pairs, with their counts."""
    return _counted(list(filterfalse(STOP.__contains__, words)))


def _counted(words: list[str]) -> Counter[str]:
    bag = Counter(words)
    bag.update(map(" ".join, pairwise(words)))
    return bag


def terms(text: str) -> Counter[str]:
    """:func:`bag_of` the words of ``text``."""
    return bag_of(TOKEN.findall(text.lower()))


@dataclass(frozen=True)
class Query:
    """A query's terms (words and word pairs) with their counts, and what looking them up in
    a posting needs (computed once per query)."""

    bag: Counter[str]

    @cached_property
    def terms(self) -> frozenset[str]:
        """The query's terms."""
        return frozenset(self.bag)

    @cached_property
    def firsts(self) -> frozenset[str]:
        """The first words of the query's word pairs: a posting's pair can be a query term
        only when it starts with one."""
        return frozenset(t.split(" ", 1)[0] for t in self.bag if " " in t)


class WordBag:
    """:func:`bag_of` a text's words, counted only as far as asked: its size, the counts of
    one query's terms (kept for the last query asked), or the whole bag."""

    __slots__ = ("_full", "_last", "words")

    def __init__(self, words: list[str]) -> None:
        self.words = list(filterfalse(STOP.__contains__, words))
        self._full: Counter[str] | None = None
        self._last: tuple[Query, dict[str, int]] | None = None

    @property
    def size(self) -> int:
        """The number of terms counted (the sum of the bag's counts): words and pairs."""
        return max(0, 2 * len(self.words) - 1)

    def counter(self) -> Counter[str]:
        """The whole bag, as :func:`bag_of` counts it."""
        if self._full is None:
            self._full = _counted(self.words)
        return self._full

    def counts(self, query: Query) -> dict[str, int]:
        """The bag's counts of ``query``'s terms (the terms it holds only): the words looked
        up in the query, and only the pairs that start with a first word of its pairs."""
        if self._last is not None and self._last[0] is query:
            return self._last[1]
        words, held = self.words, query.terms.__contains__
        # zip, not pairwise: zip reuses its tuple for each pair compress drops (most of them)
        after = islice(words, 1, None)
        pairs = compress(zip(words, after, strict=False), map(query.firsts.__contains__, words))
        found = Counter(chain(filter(held, words), filter(held, map(" ".join, pairs))))
        self._last = (query, found)
        return found


@dataclass
class CorpusStats:
    """Document frequencies of the query's terms over the postings seen, and their lengths."""

    docs: int = 0
    length: int = 0
    df: dict[str, int] = field(default_factory=dict)

    def add(self, bag: WordBag, query: Query) -> None:
        """Count one posting (its word bag) for the terms of ``query``."""
        self.docs += 1
        self.length += bag.size
        df = self.df
        for term in bag.counts(query):
            df[term] = df.get(term, 0) + 1

    def to_doc(self) -> dict[str, object]:
        return {"docs": self.docs, "length": self.length, "df": dict(self.df)}

    @classmethod
    def from_doc(cls, doc: dict[str, object] | None) -> CorpusStats:
        if not doc:
            return cls()
        df = doc.get("df")
        return cls(
            int(doc.get("docs", 0) or 0),  # type: ignore[call-overload]
            int(doc.get("length", 0) or 0),  # type: ignore[call-overload]
            {str(k): int(v) for k, v in df.items()} if isinstance(df, dict) else {},
        )


class Bm25:
    """BM25 of one query (the profile) against postings, normalized to 0..1."""

    def __init__(self, query: Query, stats: CorpusStats) -> None:
        self.query = query
        n = max(stats.docs, 1)
        self.avg = stats.length / stats.docs if stats.docs else 300.0
        # idf with +1 inside the log: never negative, terms in every posting still count a bit
        self.idf = {
            t: math.log(1 + (n - stats.df.get(t, 0) + 0.5) / (stats.df.get(t, 0) + 0.5))
            for t in query.bag
        }
        weights = {t: self.idf[t] * (1 + math.log(c)) for t, c in query.bag.items()}
        self.weights = weights
        self.terms = frozenset(t for t, w in weights.items() if w)
        self.best = sum(weights.values()) * (K1 + 1) or 1.0

    def score(self, bag: WordBag) -> float:
        """0..1: how much of the profile's weighted vocabulary the posting uses, BM25-style."""
        norm = K1 * (1 - B + B * bag.size / self.avg)
        weights, terms = self.weights, self.terms
        # only the query's terms the posting holds; fsum: exact whatever the order
        return (
            math.fsum(
                weights[t] * n * (K1 + 1) / (n + norm)
                for t, n in bag.counts(self.query).items()
                if t in terms
            )
            / self.best
        )
