"""Hostile text for tests (written here): header injections, poison characters, deep nesting,
and a check of generated email bytes."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import getaddresses

#: RFC 2047 encoded words that decode to a line break and a new header
ENCODED_INJECTIONS = [
    "Nordlicht =?utf-8?b?DQpCY2M6IGFAZXZpbC5leGFtcGxl?=",  # CR LF Bcc: a@evil.example
    "Nordlicht =?utf-8?q?=0D=0ABcc:_a@evil.example?=",
    "Nordlicht=?UTF-8?B?Cg==?=Bcc: a@evil.example",  # no space around the word
    '"=?utf-8?b?DQpCY2M6IGFAZXZpbC5leGFtcGxl?="',  # inside quotes
    # an encoded word whose text is that encoded word again
    "=?utf-8?b?PT91dGYtOD9iP0RRcEJZMk02SUdGQVpYWnBiQzVsZUdGdGNHeGw/PQ==?=",
    "Nordlicht =?x-unknown?b?DQpCY2M6IGFAZXZpbC5leGFtcGxl?=",
    "Nordlicht =?utf-8?b?4oCoQmNjOiBhQGV2aWwuZXhhbXBsZQ==?=",  # U+2028 line separator
    "Nordlicht =?utf-8?b?DQpUbzogYUBldmlsLmV4YW1wbGUNCkNjOiBiQGV2aWwuZXhhbXBsZQ==?=",
]
#: raw line breaks and their textual encodings
RAW_INJECTIONS = [
    "Engineer\r\nBcc: victim@example.com",
    "Engineer\nBcc: victim@example.com",
    "Engineer%0d%0aBcc: victim@example.com",
    "Engineer=0D=0ABcc: victim@example.com",
    "Engineer\\r\\nBcc: victim@example.com",
    "Engineer&#13;&#10;Bcc: victim@example.com",
    "Engineer\u2028Bcc: victim@example.com",
    "Engineer\x85Bcc: victim@example.com",
]
#: characters no store, XML document or terminal should receive
POISON = ["\ud800", "\udfff", "\x00", "\x0b", "\x0c", "\x1b[31m", "\x1b]8;;http://evil.example\x07"]
POISON += ["\x7f", "\x9b", "\ufffe", "\r"]

#: the headers a composed application email has (Date only when composed with one)
BUILT_HEADERS = {"content-type", "from", "message-id", "mime-version", "subject", "to", "date"}
RECIPIENT_FIELDS = ("To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc")


def headers_and_recipients(raw: bytes) -> tuple[list[str], list[str]]:
    """The header names (lower case, in order) and every recipient address of ``raw``."""
    parsed = message_from_bytes(raw, policy=default_policy)
    recipients = [a for f in RECIPIENT_FIELDS for _, a in getaddresses(parsed.get_all(f, []))]
    return [k.lower() for k in parsed], recipients


def assert_only_built_headers(raw: bytes, recipient: str) -> None:
    """``raw`` has only the headers compose builds, each once, and only ``recipient``."""
    names, recipients = headers_and_recipients(raw)
    assert set(names) <= BUILT_HEADERS, names
    assert len(names) == len(set(names)), names
    assert [r.lower() for r in recipients] == [recipient.lower()], recipients


def nested_json(depth: int, opener: str = "[", closer: str = "]") -> str:
    """``depth`` nested arrays (or objects, given ``{"a":`` and ``}``): a small deep body."""
    return opener * depth + closer * depth
