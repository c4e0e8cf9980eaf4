"""Who a posting is: the job-id rule shared by every normalizer."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from common.normalize.text import canonical_url
from common.safetext import one_line

#: an id a spreadsheet turned into a float ("4263185787.0") or cut to a few digits ("4.26E+09")
_FLOAT_ID = re.compile(r"^(\d+)\.0+$")
_MANGLED_ID = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


class NoIdentity(ValueError):
    """An item has neither a source id nor a usable URL."""


def job_id(source: str, source_id: str | None, url: str | None) -> str:
    """A deterministic job id: the same posting always gets the same id.

    Raises ValueError when there is neither a source id nor a usable URL to build it from.
    """
    basis = f"{source}:{source_id}" if source_id else (canonical_url(url) or "")
    if not basis:
        raise NoIdentity("no id and no job URL")
    return hashlib.sha256(basis.encode()).hexdigest()[:20]


def clean_id(value: Any) -> str | None:
    """A source id as text; a whole-number float a spreadsheet made of it is read back, one
    it cut to scientific notation ("4.26E+09") is no id at all."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value  # the common case, already clean
    text = one_line(str(value)) if isinstance(value, str | int) else ""
    if _MANGLED_ID.match(text):
        return None
    return _FLOAT_ID.sub(r"\1", text) or None


@dataclass(frozen=True)
class Identity:
    """A posting's source, the source's id for it and its URL; ``id`` is the job id."""

    source: str
    source_id: str | None
    url: str | None
    id: str

    @classmethod
    def of(cls, source: str, source_id: Any, url: Any, template: str | None = None) -> Identity:
        """The identity from raw fields; without a URL one is built from the id and
        ``template`` (e.g. ``https://www.linkedin.com/jobs/view/{id}``).

        Raises NoIdentity when there is neither an id nor a usable URL."""
        sid = clean_id(source_id)
        link = (one_line(url) or None) if isinstance(url, str) else None
        if link is None and sid and template:
            link = template.format(id=quote(sid, safe=""))
        if sid is None and link is None and _MANGLED_ID.match(str(source_id).strip()):
            raise NoIdentity("id cut short by a spreadsheet (scientific notation), no job URL")
        return cls(source, sid, link, job_id(source, sid, link))
