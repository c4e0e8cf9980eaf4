"""Which language a posting (or a profile) is written in, from its frequent function words.

Job postings are long texts, where counting the commonest words of each language (kept as
data in ``common/resources/languages/stopwords.yaml``) is as accurate as a statistical model,
costs no dependency and about a tenth of a millisecond. A text with too few hits (a bare title)
has no detected language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: fewer hits than this: no language is claimed
MIN_HITS = 4
#: the winner must have this share of all hits more than the runner-up
MIN_MARGIN = 0.1
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Detected:
    """A detected language (ISO 639-1 code) and how clearly it won (0..1)."""

    code: str
    confidence: float


@cache
def _stopwords() -> dict[str, frozenset[str]]:
    import yaml

    text = (resources.files("common.resources") / "languages" / "stopwords.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {code: frozenset(str(w).lower() for w in words) for code, words in data.items()}


def detect(text: str, *, max_words: int = 600) -> Detected | None:
    """The language of ``text`` (its first ``max_words`` words), or None when unclear."""
    tokens = [w.lower() for w in _WORD.findall(text[: max_words * 12])[:max_words]]
    if not tokens:
        return None
    counts = {code: sum(map(words.__contains__, tokens)) for code, words in _stopwords().items()}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    (best, hits), (_, second) = ranked[0], ranked[1]
    total = sum(counts.values())
    if hits < MIN_HITS or (hits - second) / total < MIN_MARGIN:
        return None
    return Detected(best, round((hits - second) / hits, 2))


def known_codes() -> list[str]:
    """The languages :func:`detect` can name."""
    return list(_stopwords())
