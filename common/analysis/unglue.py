"""Line breaks that scraped postings lost: "Front EndPython on the BackendThis role".

LinkedIn's description text often drops the break between list items and headings, gluing
the last word of one line to the first of the next ("experienceStrong Python",
"Required3+ years"). Read as is, "EndPython" is not Python and "experienceStrong" ends no
years-of-experience phrase. A word with a lower-case letter followed by a capital and a
lower-case letter is split there into two lines, unless it is written that way on purpose
(``camel_words`` of the lexicon, and skill aliases: JavaScript, GitHub, PostgreSQL).
"""

from __future__ import annotations

import re
from functools import lru_cache
from string import ascii_letters

from common.analysis.lexicon import CAMEL_WORDS, SKILLS

_KEEP = CAMEL_WORDS | {a.lower().replace(" ", "") for al in SKILLS.values() for a in al}
#: a glued seam: a lower-case letter, then a capital and a lower-case letter; found in the
#: text's shape (ASCII letters as "a" or "A", one byte a character), where ``bytes.find``
#: scans at C speed and a regex stops at each capital
_SHAPE = bytes.maketrans(ascii_letters.encode(), b"a" * 26 + b"A" * 26)
_WORD = re.compile(r"[A-Za-z]+")


def _seams(text: str) -> list[int]:
    """Where a capital letter follows a lower-case one and precedes another (ASCII letters:
    the positions of ``[A-Z](?<=[a-z][A-Z])(?=[a-z])``, in order)."""
    # latin-1, "?" for any other character: one byte a character, so positions are kept
    shape = text.encode("latin-1", "replace").translate(_SHAPE)
    out = []
    at = shape.find(b"aAa")
    while at >= 0:
        out.append(at + 1)
        at = shape.find(b"aAa", at + 2)
    return out


def _years_seams(text: str) -> list[int]:
    """Where "3+ years" follows a lower-case letter ("Required3+ years"): str.find, not a
    regex scan, since the text is long and "year" rare."""
    out = []
    for unit in ("year", "yrs"):
        at = text.find(unit)
        while at >= 0:
            i = at
            while i and text[i - 1] in " +":
                i -= 1
            digits = i
            while i and text[i - 1].isdigit():
                i -= 1
            if 0 < digits - i <= 2 and text[i - 1].islower():
                out.append(i)
            at = text.find(unit, at + 4)
    return out


@lru_cache(maxsize=16)
def unglue(text: str) -> str:
    """``text`` with glued lines split again (a no-op on text that has none). The last
    answers are kept: a posting is read by the requirements and the relevance of its
    documents, and by the scorer."""
    cuts = _years_seams(text)
    last = -3
    for at in _seams(text):
        if at < last + 3:  # its first letter ends the seam before: one cut of the two
            continue
        last = at
        start = at - 1
        while start and text[start - 1].isalpha():
            start -= 1
        word = _WORD.match(text, start)
        if word is None or word.group(0).lower() not in _KEEP:
            cuts.append(at)
    if not cuts:
        return text
    parts, last = [], 0
    for at in sorted(set(cuts)):
        parts.append(text[last:at])
        last = at
    parts.append(text[last:])
    return "\n".join(parts)
