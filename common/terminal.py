"""Untrusted text (postings, model output, error details) made safe for a terminal.

A posting can carry terminal escape sequences (ESC, OSC 8 hyperlinks, C1 controls), bidi
overrides that reorder what is shown, and Rich markup (``[link=...]``). :func:`plain` removes
the first two (control characters through :mod:`common.safetext`, the one place for them;
bidi marks here); the CLI prints untrusted text only as ``rich.text.Text`` (never parsed as
markup, see ``common.cli.output``), and the console log line is passed through :func:`plain`.
"""

from __future__ import annotations

import re

from common.safetext import clean_text

#: the bidi embedding/override and direction marks (they reorder what a terminal shows),
#: compiled on first use (``re`` caches it): not at every cold import of a function
_BIDI = r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
#: a line break (clean_text has made every kind of them ``\n``) and the blanks around it
_BREAK = re.compile(r"[ \t]*\n\s*")


def plain(value: object, *, one_line: bool = False) -> str:
    """``value`` as text with no control characters or bidi marks (and no line breaks if
    ``one_line``)."""
    text = re.sub(_BIDI, "", clean_text(str(value)))
    return _BREAK.sub(" ", text).strip() if one_line else text
