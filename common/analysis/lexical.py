"""Lexical similarity between the profile and a posting: BM25 over the postings seen so far.

The profile is the query (its words and word pairs, stop words dropped); each posting is a
document. BM25 needs only the document frequency of the query's own terms, the number of
postings and their mean length: :class:`CorpusStats` keeps exactly that (small enough for one
store document), updated as postings are seen. The score is divided by the largest score a
document could reach for this query, so it lies in 0..1 whatever the profile's length.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from itertools import filterfalse, pairwise

K1 = 1.2
B = 0.75
#: a word as the ranker sees it: "c++", "c#", ".net", "node.js", "back-end" ("ci/cd" is two);
#: possessive: nothing follows that could make it give characters back, so it never tries
TOKEN = re.compile(r"\.?[A-Za-z0-9#+]++(?:[.-][A-Za-z0-9+#]++)*+")


def _stop_words() -> frozenset[str]:
    path = resources.files("common.resources") / "ranking" / "stopwords.txt"
    lines = path.read_text("utf-8").split()
    return frozenset(w for w in lines if not w.startswith("#"))


STOP = _stop_words()


def bag_of(words: list[str]) -> Counter[str]:
    """Words (lower case; stop words dropped) and adjacent word pairs, with their counts."""
    words = list(filterfalse(STOP.__contains__, words))
    bag = Counter(words)
    bag.update(map(" ".join, pairwise(words)))
    return bag


def terms(text: str) -> Counter[str]:
    """:func:`bag_of` the words of ``text``."""
    return bag_of(TOKEN.findall(text.lower()))


@dataclass
class CorpusStats:
    """Document frequencies of the query's terms over the postings seen, and their lengths."""

    docs: int = 0
    length: int = 0
    df: dict[str, int] = field(default_factory=dict)

    def add(self, bag: Counter[str], query: set[str]) -> None:
        """Count one posting (its term bag) for the terms of ``query`` (a set: the caller
        builds it once per query, not once per posting)."""
        self.docs += 1
        self.length += sum(bag.values())
        for term in bag.keys() & query:
            self.df[term] = self.df.get(term, 0) + 1

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

    def __init__(self, query: Counter[str], stats: CorpusStats) -> None:
        self.query = query
        n = max(stats.docs, 1)
        self.avg = stats.length / stats.docs if stats.docs else 300.0
        # idf with +1 inside the log: never negative, terms in every posting still count a bit
        self.idf = {
            t: math.log(1 + (n - stats.df.get(t, 0) + 0.5) / (stats.df.get(t, 0) + 0.5))
            for t in query
        }
        weights = {t: self.idf[t] * (1 + math.log(c)) for t, c in query.items()}
        self.weights = weights
        self.terms = frozenset(t for t, w in weights.items() if w)
        self.best = sum(weights.values()) * (K1 + 1) or 1.0

    def score(self, bag: Counter[str]) -> float:
        """0..1: how much of the profile's weighted vocabulary the posting uses, BM25-style."""
        size = sum(bag.values())
        norm = K1 * (1 - B + B * size / self.avg)
        weights = self.weights
        # only the terms both share (a set intersection in C); fsum: exact whatever the order
        return (
            math.fsum(
                weights[t] * bag[t] * (K1 + 1) / (bag[t] + norm)
                for t in self.terms.intersection(bag)
            )
            / self.best
        )
