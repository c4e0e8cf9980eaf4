"""Untrusted text made safe to store, render and print: the one place control characters go.

Posting text (and anything else from outside) may hold what no store, XML document, email
header or terminal accepts: lone surrogates (``\\ud800``: not encodable as UTF-8), NUL and
other C0/C1 control characters (not allowed in XML 1.0, so python-docx refuses them), escape
sequences (``ESC [31m``) and the non-characters U+FFFE/U+FFFF. :func:`clean_text` removes
them and keeps every ordinary character, line breaks included; :func:`one_line` also folds
all whitespace to single spaces, for titles, names and other one-line fields.

Standard library only: the email header code imports it on any Python.
"""

from __future__ import annotations

import re

# the patterns of text that needs cleaning compile on first use (``re`` caches them): most text
# is clean, and compiling their Unicode classes costs ~2.5 ms at every cold import

#: a terminal escape sequence (CSI ``ESC [ ... final``, OSC ``ESC ] ... BEL|ESC \\``, or a
#: two-character ``ESC x``), removed whole so that no half of it survives as text
_ESCAPES = r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
#: vertical whitespace that is not ``\n``: becomes ``\n``
_BREAKS = r"\r\n?|[\x0b\x0c\x85\u2028\u2029]"
#: what is dropped: C0 controls but tab and newline, DEL, C1 controls, non-characters
_DROPPED = r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]"
#: lone surrogates (a valid pair was already joined by the JSON decoder)
_SURROGATES = r"[\ud800-\udfff]"
#: the clean check works on the UTF-8 bytes (C loops, no per-character regex): C0 controls
#: but tab and newline, and DEL, are single bytes; the rest are these sequences
_C0_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f"
_WIDE_BYTES = (b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
REPLACEMENT = "\ufffd"


def is_clean(text: str) -> bool:
    """Whether :func:`clean_text` would leave ``text`` unchanged (fast: about the cost of
    encoding it)."""
    if text.isprintable():  # no control, separator (U+2028), surrogate or unassigned character
        return True
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    if len(data.translate(None, _C0_BYTES)) != len(data):
        return False
    if len(data) == len(text):  # ASCII
        return True
    if any(seq in data for seq in _WIDE_BYTES):
        return False
    return b"\xc2" not in data or _C1_BYTES.search(data) is None


def clean_text(text: str) -> str:
    """``text`` without control characters, escape sequences and non-characters.

    Line breaks of every kind become ``\\n``; tabs stay; a lone surrogate becomes U+FFFD
    (something was there). The result encodes as UTF-8 and is valid XML 1.0 character data.
    """
    if is_clean(text):
        return text
    if "\x1b" in text:
        text = re.sub(_ESCAPES, "", text)
    text = re.sub(_BREAKS, "\n", text)
    text = re.sub(_DROPPED, "", text)
    return re.sub(_SURROGATES, REPLACEMENT, text)


def one_line(text: str) -> str:
    """:func:`clean_text`, then every run of whitespace (line breaks too) as one space."""
    return " ".join(clean_text(text).split())
