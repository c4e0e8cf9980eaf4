"""Finding skills in text: every alias of the scorer's lexicon and the profile's own terms.

One pass of two alternations (case-insensitive aliases, and exact-case ones such as "Go",
"R", or a profile term written "Requests" that would otherwise match the English word) over a
text gives each mention's canonical key, its spelling and its position. Unlike the scorer's
matcher, a slash after a term is allowed ("Python/Node" names Python).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from common.analysis.lexicon import SKILLS


@dataclass(frozen=True)
class Mention:
    """One skill named in a text."""

    key: str
    surface: str
    start: int


class SkillScanner:
    """Finds the lexicon's skills (unless ``lexicon`` is false) and ``extra`` (alias, key)
    pairs in texts."""

    def __init__(self, extra: Iterable[tuple[str, str]] = (), *, lexicon: bool = True) -> None:
        self.owner: dict[str, str] = {}
        exact: list[str] = []
        folded: list[str] = []
        pairs = [(alias, key) for key, aliases in SKILLS.items() for alias in (key, *aliases)]
        pairs = pairs if lexicon else []
        for alias, key in [*pairs, *extra]:
            cased = any(c.isupper() for c in alias)
            name = alias if cased else alias.lower()
            if name in self.owner:
                continue
            self.owner[name] = key
            (exact if cased else folded).append(name)
        self._folded = self._rx(folded, re.I)
        self._exact = self._rx(exact, 0)

    @staticmethod
    def _rx(aliases: list[str], flags: int) -> re.Pattern[str] | None:
        if not aliases:
            return None
        ordered = sorted(aliases, key=len, reverse=True)  # the longest alias wins
        # the first letters, looked at once before the aliases are tried one by one
        heads = "".join(sorted({re.escape(a[0]) for a in aliases}))
        return re.compile(
            rf"(?<![\w+#&/.-])(?=[{heads}])(?:{_by_head(ordered, flags)})(?![\w+#&])", flags
        )

    def mentions(self, text: str) -> list[Mention]:
        """Every mention in ``text``, in order."""
        found = []
        if self._folded is not None:
            # re's case folding also accepts "ſql" (long s) or the Kelvin sign for "k": text
            # whose lower case is not the alias is not a mention
            found += [
                Mention(self.owner[word], m.group(0), m.start())
                for m in self._folded.finditer(text)
                if (word := m.group(0).lower()) in self.owner
            ]
        if self._exact is not None:
            found += [
                Mention(self.owner[m.group(0)], m.group(0), m.start())
                for m in self._exact.finditer(text)
                if m.group(0) in self.owner
            ]
        return sorted(found, key=lambda m: m.start)

    def keys(self, text: str) -> set[str]:
        """The keys of the skills ``text`` names."""
        return {m.key for m in self.mentions(text)}


def _by_head(aliases: list[str], flags: int) -> str:
    """``aliases`` as an alternation that matches as ``a|b|...`` does, grouped by first letter
    (``k(?:afka|ubernetes)|p(?:ython|ostgresql)``): at each place, only the aliases of its
    letter are tried (about five times fewer tries with the whole lexicon). Aliases of two
    groups never match at one place, and each group keeps their order, so the same alias
    matches. Case-insensitive, a first letter outside ASCII may match another's (the long s
    matches "s"): then the aliases are not grouped."""
    if flags & re.I and not all(a[0].isascii() for a in aliases):
        return "|".join(re.escape(a) for a in aliases)
    groups: dict[str, list[str]] = {}
    for alias in aliases:
        groups.setdefault(alias[0].lower() if flags & re.I else alias[0], []).append(alias)
    return "|".join(
        re.escape(group[0][0]) + "(?:" + "|".join(re.escape(a[1:]) for a in group) + ")"
        for group in groups.values()
    )
