"""Field helpers shared by the normalizers: untrusted values to safe strings, places, remote."""

from __future__ import annotations

import re
from typing import Any

from common.domain.job import Location
from common.normalize.places import resolve
from common.safetext import clean_text

_REMOTE = re.compile(
    r"\b(remote|remotely|work from home|wfh|home[- ]?office|telecommute|anywhere)\b", re.I
)
_REMOTE_PHRASES = ("fully remote", "100% remote", "100 % remote", "remote-first", "remote first")
#: what the lower-cased text holds wherever :data:`_REMOTE` matches (each letter of its words
#: matches, ignoring case, only characters that lower-case to it, but for "i", which only
#: "office" has, after "home"): text without any of them needs no search
_REMOTE_WORDS = ("remot", "home", "wfh", "telecommut", "anywhere")


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


def pick(item: dict[str, Any], *keys: str) -> Any:
    """The value of the first of ``keys`` that ``item`` holds and that is not null or ""."""
    for key in keys:
        value = item.get(key)
        if value is not None and value != "":
            return value
    return None


def yes_no(value: Any) -> bool | None:
    """A yes/no field: a JSON boolean, or its text in a CSV export ("true", "False", "1")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(
            value.strip().lower()
        )
    return None


def location_of(item: dict[str, Any], *keys: str) -> Location:
    """The location from whatever the item has: a text or an object under ``keys`` (default
    ``location``; Indeed's nested object, a flattened CSV export's ``location/city``...), and
    top-level ``city`` / ``state`` / ``country`` fields (a spreadsheet re-export)."""
    value = pick(item, *(keys or ("location",)))
    text: Any = value
    city = state = country = None
    if isinstance(value, dict):
        text = pick(value, "formattedAddressShort", "formattedAddress", "fullAddress", "name")
        city = pick(value, "city", "addressLocality", "locality")
        state = pick(value, "state", "region", "addressRegion", "stateCode")
        country = pick(value, "countryCode", "country", "addressCountry")
    return resolve(
        text,
        city=city or pick(item, "city"),
        state=state or pick(item, "state", "region", "province"),
        country=country or pick(item, "countryCode", "country"),
    )


def detect_remote(*texts: Any, flag: Any = None, description: str = "") -> bool | None:
    """True when a flag says so or a short field (location, title, work type) mentions remote
    work, or the description says "fully remote"; False when the flag says no; else None."""
    said = yes_no(flag)
    if said is not None:
        return said
    # one search over the fields joined by line breaks: no match spans one (the words hold
    # none), and a word boundary at one is one at the end of a field
    joined = "\n".join([text(t) for t in texts])
    lowered = joined.lower()
    if any(w in lowered for w in _REMOTE_WORDS) and _REMOTE.search(joined):
        return True
    if "emote" in description:
        lowered = description.lower()
        return True if any(p in lowered for p in _REMOTE_PHRASES) else None
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
