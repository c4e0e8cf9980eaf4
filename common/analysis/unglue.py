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

from common.analysis.lexicon import CAMEL_WORDS, SKILLS

_KEEP = CAMEL_WORDS | {a.lower().replace(" ", "") for al in SKILLS.values() for a in al}
_GLUED = re.compile(r"(?<![A-Za-z])[A-Za-z]*[a-z][A-Z][a-z][A-Za-z]*")
_INNER = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_YEARS = re.compile(r"(?<=[a-z]{2})(?=\d{1,2}\+? ?(?:years|yrs)\b)")


def _split(match: re.Match[str]) -> str:
    word = match.group(0)
    return word if word.lower() in _KEEP else _INNER.sub("\n", word)


def unglue(text: str) -> str:
    """``text`` with glued lines split again (a no-op on text that has none)."""
    return _YEARS.sub("\n", _GLUED.sub(_split, text))
