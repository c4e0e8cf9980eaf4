"""The content model: what a resume and a cover letter say, before any rendering.

One model, rendered to DOCX (python-docx), PDF (typst) and plain text. Every string in it
comes from the candidate's profile, the job record (company, role, place) or fixed template
wording, and has passed the fabrication guard.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from common.documents.guard import GuardEvent
from common.safetext import clean_text

T = TypeVar("T")


@dataclass
class Entry:
    """One dated item: a job, a degree, a project, a certificate."""

    title: str
    org: str = ""
    dates: str = ""  # rendered on the title's line
    location: str = ""
    bullets: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """``Title, Organization · Location``: the left part of the title line."""
        head = ", ".join(p for p in (self.title, self.org) if p)
        return f"{head} · {self.location}" if self.location else head


@dataclass
class Section:
    """A resume section: dated entries, or plain lines (skills, languages)."""

    heading: str
    entries: list[Entry] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass
class Resume:
    """The tailored resume, in the profile's language."""

    name: str
    headline: str
    contact: list[str]
    summary: str
    sections: list[Section]
    summary_heading: str = "Summary"
    lang: str = "en"  # ISO 639-1 code
    title: str = ""  # the document's title (PDF and DOCX metadata)


@dataclass
class Letter:
    """The cover letter; company and role are the job record's, never model text."""

    name: str
    contact: list[str]
    date: str
    company: str
    role: str
    subject: str
    greeting: str
    paragraphs: list[str]
    closing: str
    subject_label: str = "Re:"
    lang: str = "en"  # ISO 639-1 code
    title: str = ""  # the document's title (PDF and DOCX metadata)

    def text(self) -> str:
        """The letter as plain text: the body of the application email."""
        return "\n\n".join([self.greeting, *self.paragraphs, f"{self.closing}\n{self.name}"]) + "\n"


@dataclass
class ApplicationContent:
    """A resume, its letter (when there is a job), what the guard changed, the letter's
    language, who wrote it (``template`` or the model's name) and why (``notes``)."""

    resume: Resume
    letter: Letter | None
    events: list[GuardEvent] = field(default_factory=list)
    language: str = "en"
    writer: str = "template"
    notes: list[str] = field(default_factory=list)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    """The field names of a content dataclass, in order (read once per class)."""
    return tuple(f.name for f in dataclasses.fields(cls))


def printable(value: T) -> T:
    """``value`` (a content dataclass, a list or a string) with every string passed through
    :func:`common.safetext.clean_text`: no control character or lone surrogate reaches
    python-docx (which refuses them) or typst, whatever the profile or job held."""
    if isinstance(value, str):
        return clean_text(value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [printable(v) for v in value]  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _field_names(type(value))
        changes = {name: printable(getattr(value, name)) for name in names}
        return dataclasses.replace(value, **changes)  # type: ignore[return-value]
    return value


def _plain(value: Any) -> Any:
    """:func:`dataclasses.asdict` of ``value`` (lists copied, other values deep-copied),
    without its generic checks: the content is strings, lists and dataclasses."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    return copy.deepcopy(value)


def as_data(part: Resume | Letter) -> dict[str, Any]:
    """The JSON-safe form the typst templates read, with each entry's headline."""
    data = _plain(part)
    if isinstance(part, Resume):
        for section, raw in zip(part.sections, data["sections"], strict=True):
            for entry, raw_entry in zip(section.entries, raw["entries"], strict=True):
                raw_entry["headline"] = entry.headline
    return data
