"""The content of an application, built only from the candidate's profile and the job record.

Walking-skeleton version: work entries ordered by how many matched skills they mention, and
a template letter. Company and role always come from the job record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from common.domain.analysis import Analysis
from common.domain.candidate import Profile, Work
from common.domain.job import Job


@dataclass
class Section:
    """A resume section: a heading and entries of (headline, dates, bullet lines)."""

    heading: str
    entries: list[tuple[str, str, list[str]]] = field(default_factory=list)


@dataclass
class ApplicationContent:
    """What the resume and the letter say."""

    name: str
    contact: list[str]
    summary: str
    sections: list[Section]
    letter_greeting: str
    letter_paragraphs: list[str]
    letter_closing: str


def _dates(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    return f"{start[:7]} – {end[:7] if end else 'present'}"


def _relevance(work: Work, terms: list[str]) -> int:
    text = " ".join([work.position or "", work.summary or "", *work.highlights]).lower()
    return sum(1 for t in terms if t.lower() in text)


def build_content(profile: Profile, job: Job, analysis: Analysis) -> ApplicationContent:
    """Select and order the profile's facts for ``job``."""
    basics = profile.basics
    terms = analysis.matched
    work = sorted(profile.work, key=lambda w: -_relevance(w, terms))
    experience = Section(
        "Experience",
        [
            (
                f"{w.position or ''}, {w.name or ''}".strip(", "),
                _dates(w.startDate, w.endDate),
                list(w.highlights),
            )
            for w in work
        ],
    )
    education = Section(
        "Education",
        [
            (
                ", ".join(p for p in (e.studyType, e.area, e.institution) if p),
                _dates(e.startDate, e.endDate),
                [],
            )
            for e in profile.education
        ],
    )
    skill_names = [s.name for s in profile.skills]
    ordered_skills = [s for s in skill_names if s in terms] + [
        s for s in skill_names if s not in terms
    ]
    skills = Section("Skills", [(", ".join(ordered_skills), "", [])]) if ordered_skills else None
    contact = [c for c in (basics.email, basics.phone, basics.url) if c]
    evidence = ", ".join(terms[:5])
    paragraphs = [
        f"I am applying for the {job.title} position at {job.company}.",
        (
            f"The role asks for {evidence}, which I have used in my work."
            if evidence
            else "My experience matches the responsibilities the posting describes."
        ),
    ]
    if work and work[0].name:
        paragraphs.append(f"Most recently I worked as {work[0].position} at {work[0].name}.")
    paragraphs.append("I would welcome the chance to discuss how I can contribute.")
    return ApplicationContent(
        name=basics.name,
        contact=contact,
        summary=basics.summary or basics.label or "",
        sections=[s for s in (experience, education, skills) if s and s.entries],
        letter_greeting=f"Dear {job.company} hiring team,",
        letter_paragraphs=paragraphs,
        letter_closing=f"Kind regards,\n{basics.name}",
    )
