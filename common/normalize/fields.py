"""Field helpers shared by the normalizers: untrusted values to safe strings, places, remote."""

from __future__ import annotations

import re
from typing import Any

from common.domain.job import Location
from common.safetext import clean_text

_US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
)
_REMOTE = re.compile(
    r"\b(remote|remotely|work from home|wfh|home[- ]?office|telecommute|anywhere)\b", re.I
)
_REMOTE_PHRASES = ("fully remote", "100% remote", "100 % remote", "remote-first", "remote first")


def text(value: Any) -> str:
    """A stripped string for strings and numbers; "" for anything else (lists, objects, null).

    Every untrusted value becomes text here, so this is where control characters, escape
    sequences and lone surrogates are removed (:func:`common.safetext.clean_text`)."""
    if isinstance(value, str):
        return clean_text(value).strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def optional(value: Any) -> str | None:
    """Like :func:`text`, but None instead of ""."""
    return text(value) or None


def strings(value: Any) -> list[str]:
    """A list of non-empty strings from a string or a list of strings."""
    items = value if isinstance(value, list) else [value]
    return [s for s in (text(v) for v in items) if s]


def get_path(item: Any, *path: str) -> Any:
    """``item[a][b]...`` when every step is an object, else None."""
    for key in path:
        if not isinstance(item, dict):
            return None
        item = item.get(key)
    return item


def location_from_text(value: Any) -> Location:
    """``City, State, Country`` / ``City, ST`` (a US state) / ``City, Country`` / ``City``."""
    parts = [p.strip() for p in text(value).split(",") if p.strip()]
    parts = [p for p in parts if not _REMOTE.fullmatch(p) and p.lower() != "hybrid"]
    if len(parts) >= 3:
        return Location(city=parts[0], state=parts[1], country=parts[-1])
    if len(parts) == 2:
        state = parts[1].split()[0] if parts[1].split() else ""
        if state in _US_STATES:
            return Location(city=parts[0], state=state, country="US")
        return Location(city=parts[0], country=parts[1])
    return Location(city=parts[0]) if parts else Location()


def detect_remote(*texts: Any, flag: Any = None, description: str = "") -> bool | None:
    """True when a flag says so or a short field (location, title, work type) mentions remote
    work, or the description says "fully remote"; False when the flag says no; else None."""
    if isinstance(flag, bool):
        return flag
    if any(_REMOTE.search(text(t)) for t in texts):
        return True
    if "emote" in description and any(p in description.lower() for p in _REMOTE_PHRASES):
        return True
    return None


def first_link(value: Any) -> str | None:
    """The first ``link`` of a list of ``{title, link}`` objects, or a plain URL string."""
    if isinstance(value, list):
        for entry in value:
            link = text(entry.get("link")) if isinstance(entry, dict) else text(entry)
            if link.startswith(("http://", "https://")):
                return link
        return None
    link = text(value)
    return link if link.startswith(("http://", "https://")) else None
