"""Text helpers shared by the normalizers: HTML to plain text, whitespace, emails, URLs."""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"}
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_TRACKING = re.compile(
    r"^(utm_.*|trk|trackingId|refId|ref|src|source|gclid|fbclid|from|position|pageNum)$"
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def clean_whitespace(text: str) -> str:
    """Collapse runs of spaces and blank lines."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


def html_to_text(markup: str) -> str:
    """Plain text from HTML, keeping paragraphs and list items on their own lines."""
    if "<" not in markup:
        return clean_whitespace(html.unescape(markup))
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return clean_whitespace("".join(parser.parts))


def find_emails(text: str) -> list[str]:
    """Email addresses written in ``text``, in order, without repeats."""
    return list(dict.fromkeys(m.group(0).rstrip(".").lower() for m in _EMAIL.finditer(text)))


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment, ``www.`` or a trailing slash."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False) if not _TRACKING.match(k)
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def fingerprint(*parts: str) -> str:
    """A stable short hash of the normalized words of ``parts``."""
    words = re.findall(r"\w+", " ".join(parts).lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:32]
