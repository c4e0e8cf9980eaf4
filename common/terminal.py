"""Untrusted text (postings, model output, error details) made safe for a terminal.

A posting can carry terminal escape sequences (ESC, OSC 8 hyperlinks, C1 controls), bidi
overrides that reorder what is shown, and Rich markup (``[link=...]``). :func:`plain` removes
the first two; the CLI prints untrusted text only as ``rich.text.Text`` (never parsed as
markup, see ``common.cli.output``), and the console log line is passed through :func:`plain`.
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding/override marks
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"\s*[\r\n\x0b\x0c\x85\u2028\u2029]+\s*")


def plain(value: object, *, one_line: bool = False) -> str:
    """``value`` as text with no control characters (and no line breaks if ``one_line``)."""
    text = str(value)
    if one_line:
        text = _BREAKS.sub(" ", text)
    return _UNSAFE.sub("", text)
