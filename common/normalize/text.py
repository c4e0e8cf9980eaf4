"""Text helpers shared by the normalizers: HTML to plain text, whitespace, emails, URLs."""

from __future__ import annotations

import hashlib
import html
import re
import string
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from common.safetext import clean_text

#: block-level tags (a paragraph break); ``h[1-6]`` as one branch, which matches faster
_BLOCK = ("div", "h[1-6]", "li", "ol", "p", "section", "tr", "ul")
#: an address not glued to a longer word ("jоbs@" with a Cyrillic о is not "bs@")
_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
#: the characters of an address's local part (:data:`_EMAIL`)
_LOCAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
#: a sentence glued to the address: "hr@tecton.ai.This employer" ends at "tecton.ai"
_GLUED = re.compile(r"(?:\.[A-Z][a-z]+)+$")
#: a signature glued before it: "RegardsSam480-407-6930sam@acme.com" starts after the number
_PHONE_BEFORE = re.compile(r"^.*\d{3}[-.]\d{3}[-.]\d{4}(?=[A-Za-z])")
_TRACKING = re.compile(
    r"^(utm_.*|trk|trackingId|refId|ref|src|source|gclid|fbclid|from|position|pageNum)$"
)


_SKIPPED = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
#: a run of block-level tags and the whitespace between them: one paragraph break
_BLOCK_TAG = r"/?(?:" + "|".join(_BLOCK) + r")\b[^>]*>\s*"
_BREAKS = re.compile(f"<{_BLOCK_TAG}(?:<{_BLOCK_TAG})*", re.I)
_LINE_BREAK = re.compile(r"<br\b[^>]*>", re.I)
_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|</?>")
_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "\u00a0\u2013\u2014\u2019"})


#: the whitespace that is not a line break (``str.split`` splits on it, ``splitlines`` does
#: not) but a space: where a line holds none, spaces are its only whitespace
_INLINE_SPACES = (
    "\t\x1f\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
)


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces within lines and of blank lines between them."""
    # where spaces are the only whitespace within the lines, a line without a double space
    # needs only its ends stripped (most lines; splitting one into words costs ~1 us)
    spaces_only = not (
        "\t" in text or "\x1f" in text or (not text.isascii() and _has_inline_space(text))
    )
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip() if spaces_only and "  " not in raw else " ".join(raw.split())
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _has_inline_space(text: str) -> bool:
    """Whether ``text`` holds whitespace other than a space or a line break (a wide character
    is looked for in constant time in text that holds none wider than it)."""
    return any(c in text for c in _INLINE_SPACES)


def html_to_text(markup: str, *, cleaned: bool = False) -> str:
    """Plain text from HTML: paragraphs apart by a blank line, list items as ``- `` lines.

    Tags are dropped with regular expressions (C speed, no tree): the output is only ever
    shown or scored as text, never rendered, so a malformed tag cannot do harm.

    ``cleaned``: ``markup`` already went through :func:`clean_text` (as every field of an item
    does), so the text is cleaned again only when a numeric character reference brought back
    a character ``clean_text`` changes (``&#13;``; dropping tags cannot: the characters it
    joins were clean; no named entity stands for one).
    """
    if "<" not in markup:
        return clean_whitespace(_unescape(markup, cleaned))
    lowered = markup.lower()
    if "<script" in lowered or "<style" in lowered or "<!--" in markup:
        markup = _SKIPPED.sub(" ", markup)
    if not cleaned:  # clean text holds no \x01
        markup = markup.replace("\x01", "")
    marked = _ITEM.sub("\x01", _LINE_BREAK.sub("\n", markup))
    text = _TAG.sub("", _BREAKS.sub("\n\n", marked))
    text = text.replace("\n\n\x01", "\n- ").replace("\x01", "\n- ")
    return clean_whitespace(_unescape(text, cleaned))


#: the characters a character reference can stand for that :func:`clean_text` changes (only
#: numeric ones: ``&#13;``, ``&#x2028;``, ``&#129;``...; the rest it drops or replaces)
_UNCLEAN_REFERENCED = "\r\x0c\x81\x8d\x8f\x90\x9d\u2028\u2029"


#: a character reference, as :func:`html.unescape` finds them (its own pattern)
_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
#: what each reference met so far stands for (bounded: markup may hold any number of names)
_REFERENCED: dict[str, str] = {}
_REFERENCED_MAX = 4096


def unescape(text: str) -> str:
    """:func:`html.unescape`, each distinct reference decoded once (real postings hold about
    forty, mostly ``&#xe9;``, ``&apos;``, ``&#x2019;``; ``html.unescape`` calls a Python
    function for each: 80 -> 27 us per LinkedIn description)."""
    parts = _REFERENCE.split(text)
    if len(parts) == 1:
        return text
    known = _REFERENCED
    for i in range(1, len(parts), 2):
        name = parts[i]
        char = known.get(name)
        if char is None:
            # the pattern matches all of "&" + name again, so this is what html.unescape
            # makes of that reference in the text
            char = html.unescape("&" + name)
            if len(known) < _REFERENCED_MAX:
                known[name] = char
        parts[i] = char
    return "".join(parts)


def _unescape(text: str, cleaned: bool) -> str:
    """``clean_text(html.unescape(text))``, without the second pass over text that was clean
    and whose references stand for no character that pass changes."""
    if "&" not in text:
        return text if cleaned else clean_text(text)
    text = unescape(text)
    if cleaned and not any(c in text for c in _UNCLEAN_REFERENCED):
        return text
    return clean_text(text)


def _email_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``_EMAIL.finditer(text)`` finds, tried only where an address can start: where
    the run of local-part characters before each "@" starts (anywhere later in the run, the
    character before is one the look-behind refuses). A search from the left tries every
    position of a long text; "@" is rare."""
    end = 0
    at = text.find("@")
    while at >= 0:
        start = at
        while start and text[start - 1] in _LOCAL:
            start -= 1
        m = _EMAIL.match(text, start) if end <= start < at else None
        if m is not None:
            yield m
            end = m.end()
        at = text.find("@", max(at + 1, end))


def iter_emails(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, address)`` for each email address written in ``text``, lower-cased."""
    if "@" not in text:
        return
    for m in _email_matches(text):
        found = m.group(0).rstrip(".")
        local, _, domain = found.partition("@")
        glued = _GLUED.search(domain)
        if glued and domain[: glued.start()].count(".") >= 1:
            domain = domain[: glued.start()]
        phone = _PHONE_BEFORE.match(local)
        skip = phone.end() if phone else 0
        address = f"{local[skip:]}@{domain}"
        start = m.start() + skip
        yield start, start + len(address), address.lower()


def find_emails(text: str) -> list[str]:
    """Email addresses written in ``text``, in order, without repeats."""
    return list(dict.fromkeys(address for _, _, address in iter_emails(text)))


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment, ``www.`` or a trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = ""
    if not _only_tracking(parts.query):
        kept = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=False)
            if not _TRACKING.match(k)
        ]
        query = urlencode(sorted(kept))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))


def _only_tracking(query: str) -> bool:
    """Whether the query keeps nothing (cheap: most job URLs carry only ``trk=...``): each
    pair is a tracking one, written without escapes, or has no value (``parse_qsl`` drops it)."""
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if value and ("%" in key or "+" in key or not _TRACKING.match(key)):
            return False
    return True


def fingerprint(*parts: str) -> str:
    """A stable short hash of the lower-cased words of ``parts`` (punctuation ignored)."""
    words = " ".join(parts).lower().translate(_PUNCTUATION).split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:32]


def description_fingerprint(company: str, description: str) -> str:
    """A hash of a posting's company and (already whitespace-normalized) text, for reposts:
    cheaper than :func:`fingerprint` on long texts, and reposts copy the text verbatim."""
    if description.isascii():
        basis = f"{company.strip().lower()}\n{description.lower()}".encode()
    else:
        basis = company.strip().lower().encode() + b"\n" + lower_utf8(description)
    return hashlib.sha256(basis).hexdigest()[:32]


#: the ASCII bytes, deleted from UTF-8 text to leave its other characters
_ASCII_BYTES = bytes(range(128))
#: ``bytes.lower`` as a table (``translate`` is a few times faster)
_ASCII_LOWER = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())


def lower_utf8(text: str) -> bytes:
    """``text.lower().encode()``, faster on long text with a few non-ASCII characters.

    ``str.lower`` takes a slow path for the whole of a text that holds one character beyond
    Latin-1 (an en dash: 70 us for 4 KB against 3 for ASCII text). Here the UTF-8 bytes are
    lowered (which only changes ASCII letters: the bytes of other characters are all >= 0x80)
    and each distinct other character that lower-cases differently is replaced by its lower
    case: UTF-8 is self-synchronizing, so its bytes match nowhere else. A capital sigma (the
    only letter whose lower case depends on its neighbours) or a lower case that would change
    again takes ``str.lower``.
    """
    if text.isascii():
        return text.lower().encode()
    raw = text.encode()
    lowered = raw.translate(_ASCII_LOWER)
    for char in set(raw.translate(None, _ASCII_BYTES).decode()):
        low = char.lower()
        if low == char:
            continue
        if char == "\u03a3" or low.lower() != low:
            return text.lower().encode()
        lowered = lowered.replace(char.encode(), low.encode())
    return lowered
