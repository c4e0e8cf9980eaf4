"""The ranker's vocabulary, read from ``common/resources/ranking/lexicon.json`` (knowledge as
data): skills with their aliases and areas, role nouns, title specializations, their
affinities, title phrases, seniority words and the ladder; and the posting reader's
cues in other languages than English, from ``cues.json`` beside it.

A posting says "Postgres", "GCP" or "k8s"; a resume says "PostgreSQL", "Google Cloud",
"Kubernetes". Both map to one canonical term, so coverage is counted on meaning, not spelling.
An alias with a capital letter ("Go", "REST") is matched case-sensitively, so "go live" is
not Go.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any


def _load() -> dict[str, Any]:
    path = resources.files("common.resources") / "ranking" / "lexicon.json"
    return json.loads(path.read_text("utf-8"))


def _pairs(rows: list[list[Any]]) -> dict[frozenset[str], float]:
    return {frozenset(row[:2]): float(row[2]) for row in rows}


_DATA = _load()

#: canonical skill -> aliases
SKILLS: dict[str, tuple[str, ...]] = {k: tuple(v["aliases"]) for k, v in _DATA["skills"].items()}
#: canonical skill -> the kinds of work it belongs to (backend, ml, embedded ...)
SKILL_AREAS: dict[str, tuple[str, ...]] = {
    k: tuple(v.get("areas", ())) for k, v in _DATA["skills"].items()
}
#: canonical skill -> skills that using it shows (Django -> Python)
SKILL_IMPLIES: dict[str, tuple[str, ...]] = {
    k: tuple(v["implies"]) for k, v in _DATA["skills"].items() if v.get("implies")
}
#: title words that name what a person does, mapped to a family of compatible roles
ROLE_NOUNS: dict[str, str] = _DATA["role_nouns"]
#: how well a role family fits another (1 = same work); missing pairs are 0
ROLE_AFFINITY: dict[frozenset[str], float] = _pairs(_DATA["role_affinity"])
#: title words that name a specialization, mapped to a group
SPECIALIZATIONS: dict[str, str] = _DATA["specializations"]
#: how close two specializations are (symmetric; same group = 1)
SPECIALIZATION_AFFINITY: dict[frozenset[str], float] = _pairs(_DATA["specialization_affinity"])
#: title phrases rewritten before the words are read (whole words, lower case)
TITLE_PHRASES: dict[str, str] = _DATA["title_phrases"]
#: seniority words of titles and actor fields -> ladder step (None: says nothing, e.g.
#: LinkedIn's catch-all "Mid-Senior level"); when several match, the first listed wins
SENIORITY_WORDS: dict[str, str | None] = _DATA["seniority_words"]
#: the seniority ladder, lowest first
LADDER: list[str] = _DATA["ladder"]
#: words written in camel case on purpose (lower case), see :mod:`common.analysis.unglue`
CAMEL_WORDS: frozenset[str] = frozenset(_DATA.get("camel_words", ()))


def _languages() -> dict[str, dict[str, tuple[str, ...]]]:
    path = resources.files("common.resources") / "ranking" / "cues.json"
    languages = json.loads(path.read_text("utf-8"))["languages"]
    return {
        language: {kind: tuple(items) for kind, items in kinds.items()}
        for language, kinds in languages.items()
    }


#: the posting reader's cues in French, German, Spanish and Dutch (``cues.json``), added to
#: its English ones for a text in that language: language ("fr") -> kind ("nice",
#: "required_heading", "alternatives" ...) -> patterns or words, in the file's order
LANGUAGE_CUES = _languages()


def merged(languages: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The cues of ``languages`` (of :data:`LANGUAGE_CUES`) together: kind -> every
    language's patterns or words, in the file's order, each once."""
    chosen = set(languages)
    out: dict[str, list[str]] = {}
    for language, kinds in LANGUAGE_CUES.items():
        if language in chosen:
            for kind, items in kinds.items():
                out.setdefault(kind, []).extend(items)
    return {kind: tuple(dict.fromkeys(items)) for kind, items in out.items()}


#: every language's cues together (:func:`merged`)
CUES = merged(LANGUAGE_CUES)
