"""The wording of documents in one language, loaded from ``resources/languages/<code>.yaml``.

A language is supported when its file exists. Every text a template needs is a format string
with named fields (``{company}``, ``{role}``, ...); :meth:`Phrases.say` fills them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

DEFAULT = "en"
_FILES = resources.files("common.resources") / "languages"


@cache
def supported() -> tuple[str, ...]:
    """Codes of the languages with a template file, English first."""
    codes = sorted(
        p.name[:-5] for p in _FILES.iterdir() if p.name.endswith(".yaml") and len(p.name) == 7
    )
    return tuple(sorted(codes, key=lambda c: c != DEFAULT))


@dataclass(frozen=True)
class Phrases:
    """One language's wording and text lexicon (see ``en.yaml`` for the keys)."""

    code: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        """The language's own name (Français)."""
        return str(self.data["name"])

    def say(self, key: str, **fields: Any) -> str:
        """The phrase ``section.name`` with ``fields`` filled in."""
        section, _, name = key.partition(".")
        return str(self.data[section][name]).format(**fields)

    def has(self, key: str) -> bool:
        """Whether the phrase ``section.name`` exists."""
        section, _, name = key.partition(".")
        return name in self.data.get(section, {})

    def join(self, items: list[str]) -> str:
        """``a``, ``a and b``, ``a, b and c`` in this language."""
        items = [i for i in items if i]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.data['and']} {items[-1]}"

    def date(self, day: date) -> str:
        """A letter date: ``26 November 2026``, ``26. November 2026``, ``26 de noviembre ...``."""
        month = self.data["months"][day.month - 1]
        return str(self.data["date"]).format(day=day.day, month=month, year=day.year)

    def month_year(self, day: date) -> str:
        """``May 2025`` / ``mai 2025``."""
        return f"{self.data['months'][day.month - 1]} {day.year}"

    def number(self, n: int) -> str:
        """A small count in words (``five``), larger ones in digits."""
        return str(self.data.get("number_words", {}).get(n, n))

    def language_name(self, code: str) -> str:
        """How this language names the language ``code`` (``German`` / ``allemand``)."""
        return str(self.data["language_names"].get(code, code))

    def fluency(self, value: str) -> str:
        """A profile's fluency word in this language; "" when unknown (then it is left out)."""
        low = value.strip().lower()
        if re.fullmatch(r"[abc][12]", low):
            return low.upper()
        return str(self.data.get("fluency", {}).get(low, ""))

    def words(self, key: str) -> frozenset[str]:
        """A word list of the ``text`` section, lower case."""
        return frozenset(str(w).lower() for w in self.data["text"].get(key, []))

    def patterns(self, key: str) -> re.Pattern[str] | None:
        """The ``text`` section's list ``key`` as one case-insensitive pattern (None if empty)."""
        return _patterns(self.code, key)


@cache
def _patterns(code: str, key: str) -> re.Pattern[str] | None:
    items = phrases(code).data["text"].get(key, [])
    return re.compile(alternation(items), re.I | re.M) if items else None


def alternation(items: list[str]) -> str:
    """``items`` as one alternation that matches as ``(?:a)|(?:b)|...`` does (the same match
    at the same place), with the word boundary that opens consecutive items tested once
    (``\\b(?:(?:a)|(?:b))``): the search no longer tries every item at every position."""
    groups: list[list[str]] = []
    for item in items:
        bounded = item.startswith(r"\b") and not _has_top_level_branch(item)
        if bounded and groups and groups[-1][0] == r"\b":
            groups[-1].append(item[2:])
        else:
            groups.append([r"\b", item[2:]] if bounded else ["", item])
    return "|".join(
        f"{head}(?:{'|'.join(f'(?:{p})' for p in rest)})" if head else f"(?:{rest[0]})"
        for head, *rest in groups
    )


def _has_top_level_branch(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside any group (``a|b``, not ``(a|b)``)."""
    depth, escaped, in_class = 0, False, False
    for c in pattern:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
    return False


@cache
def phrases(code: str) -> Phrases:
    """The phrases of ``code`` (English for a language without a file)."""
    import yaml

    if code not in supported():
        code = DEFAULT
    data = yaml.safe_load((_FILES / f"{code}.yaml").read_text("utf-8"))
    data["number_words"] = {int(k): v for k, v in data.get("number_words", {}).items()}
    return Phrases(code, data)


@cache
def code_of_language_name(name: str) -> str | None:
    """The code of a language as a profile names it (``Français``, ``German``), or None."""
    low = name.strip().lower()
    for code in supported():
        if low in {n.lower() for n in phrases(code).data.get("names", [])}:
            return code
    for code in supported():
        for other, label in phrases(code).data["language_names"].items():
            if low == str(label).lower():
                return other
    return None
