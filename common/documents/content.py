"""Build an application's content from the profile and the job, guarded against fabrication.

The deterministic path (no model) selects and orders the profile's facts by relevance and
writes the template letter. A :class:`common.ports.Rephraser`, when given, may rewrite the
summary and the letter's body; its output passes the fabrication guard sentence by sentence,
and whatever fails is dropped or replaced by the deterministic text (and recorded).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from common.documents.facts import Facts, build_facts, role_name
from common.documents.guard import GuardEvent, check, guard_text
from common.documents.letter import contact_lines, join_words, template_letter
from common.documents.model import ApplicationContent, Entry, Letter, Resume, Section
from common.documents.select import Relevance, by_relevance, newest_first, span, top
from common.domain.analysis import Analysis
from common.domain.candidate import Profile, Project, Work
from common.domain.job import Job
from common.errors import AutoapplyError
from common.logging import get_logger
from common.ports import Rephraser

MAX_JOBS = 5  # work entries on the resume (the two newest always stay)
MAX_HIGHLIGHTS = 4  # per work entry
MAX_PROJECTS = 3
MAX_LETTER_WORDS = 400  # a longer rephrased letter is replaced by the template one

log = get_logger("documents")


def build_resume(profile: Profile, rel: Relevance, job: Job | None) -> Resume:
    """The resume: the profile's facts, selected and ordered for the job."""
    basics = profile.basics
    works = newest_first(profile.work)
    works = top(works, lambda w: rel.score(_work_text(w)), MAX_JOBS, keep=2)
    experience = Section(
        "Experience",
        [
            Entry(
                title=w.position or "",
                org=w.name or "",
                dates=span(w.startDate, w.endDate),
                location=w.location or "",
                bullets=by_relevance(w.highlights, rel.score)[:MAX_HIGHLIGHTS],
            )
            for w in works
        ],
    )
    projects = top(
        by_relevance(profile.projects, lambda p: rel.score(_project_text(p))),
        lambda p: rel.score(_project_text(p)),
        MAX_PROJECTS,
    )
    project_section = Section(
        "Projects",
        [
            Entry(
                title=p.name or "",
                dates=span(p.startDate, p.endDate),
                bullets=[b for b in [p.description or "", *p.highlights[:2]] if b],
            )
            for p in projects
        ],
    )
    education = Section(
        "Education",
        [
            Entry(
                title=" in ".join(p for p in (e.studyType, e.area) if p),
                org=e.institution or "",
                dates=span(e.startDate, e.endDate, open_end=False),
            )
            for e in sorted(profile.education, key=lambda e: e.endDate or "9999", reverse=True)
        ],
    )
    certificates = Section(
        "Certifications",
        [
            Entry(title=c.name or "", org=c.issuer or "", dates=span(None, c.date))
            for c in by_relevance(profile.certificates, lambda c: rel.score(c.name or ""))
        ],
    )
    skills = Section("Skills", lines=_skill_lines(profile, rel))
    languages = [
        f"{lang.language} ({lang.fluency})" if lang.fluency else lang.language
        for lang in profile.languages
        if lang.language
    ]
    language_section = Section("Languages", lines=[", ".join(languages)] if languages else [])
    sections = [experience, project_section, education, certificates, skills, language_section]
    return Resume(
        name=basics.name,
        headline=basics.label or "",
        contact=contact_lines(profile),
        summary=tailored_summary(profile, rel, job),
        sections=[s for s in sections if s.entries or s.lines],
    )


def _work_text(work: Work) -> str:
    return " ".join([work.position or "", work.summary or "", *work.highlights])


def _project_text(project: Project) -> str:
    parts = [project.name or "", project.description or "", *project.highlights]
    return " ".join(parts + project.keywords)


def _skill_lines(profile: Profile, rel: Relevance) -> list[str]:
    """``Skill: keyword, keyword``, the job's skills first and their matching keywords first."""
    lines = []
    for skill in by_relevance(profile.skills, lambda s: rel.score(" ".join([s.name, *s.keywords]))):
        keywords = by_relevance(skill.keywords, rel.score)
        lines.append(f"{skill.name}: {', '.join(keywords)}" if keywords else skill.name)
    return lines


def tailored_summary(profile: Profile, rel: Relevance, job: Job | None) -> str:
    """The profile's own summary, plus the job's terms the candidate holds."""
    summary = (profile.basics.summary or profile.basics.label or "").strip()
    if job is not None and rel.terms:
        strengths = f"For the {role_name(job.title)} role: {join_words(rel.terms[:5])}."
        summary = f"{summary.rstrip('.')}. {strengths}" if summary else strengths
    return summary


def build_content(
    profile: Profile,
    job: Job | None,
    analysis: Analysis | None = None,
    *,
    today: date,
    rephraser: Rephraser | None = None,
) -> ApplicationContent:
    """The resume (and, with a job, the letter) for ``job``, guarded against fabrication."""
    rel = Relevance(profile, job, analysis)
    facts = build_facts(profile, job)
    watch = tuple(analysis.missing) if analysis else ()
    events: list[GuardEvent] = []
    resume = build_resume(profile, rel, job)
    letter = template_letter(profile, job, rel, today) if job is not None else None
    if rephraser is not None and job is not None and letter is not None:
        resume, letter = _rephrase(rephraser, job, facts, watch, resume, letter, events)
    _audit(resume, letter, facts, watch, events)
    return ApplicationContent(resume=resume, letter=letter, events=events)


def _rephrase(
    rephraser: Rephraser,
    job: Job,
    facts: Facts,
    watch: tuple[str, ...],
    resume: Resume,
    letter: Letter,
    events: list[GuardEvent],
) -> tuple[Resume, Letter]:
    """The model's summary and letter body, kept only where the guard finds nothing.

    A rephraser that fails with an :class:`AutoapplyError` (quota, budget, a bad answer)
    leaves the deterministic text in place: the documents never wait for a model.
    """
    try:
        new_summary = rephraser.rephrase("summary", resume.summary, job=job)
        new_body = rephraser.rephrase("letter", "\n\n".join(letter.paragraphs), job=job)
    except AutoapplyError as exc:
        log.warning("rephrasing skipped, the template text is used: %s", exc.message)
        return resume, letter
    summary = guard_text(
        "summary", new_summary, facts, fallback=resume.summary, extra_skills=watch, events=events
    )
    paragraphs = []
    body = [p.strip() for p in new_body.split("\n\n") if p.strip()]
    for i, para in enumerate(p for p in body if not _frame(p, letter)):
        paragraphs.append(
            guard_text(
                f"letter.paragraph[{i}]",
                para,
                facts,
                fallback="",
                extra_skills=watch,
                events=events,
            )
        )
    paragraphs = [p for p in paragraphs if p]
    words = sum(len(p.split()) for p in paragraphs)
    if not _names_target(paragraphs, job) or len(paragraphs) < 2 or words > MAX_LETTER_WORDS:
        events.append(GuardEvent("letter", "regenerated", new_body.strip(), []))
        paragraphs = letter.paragraphs
    return replace(resume, summary=summary), replace(letter, paragraphs=paragraphs)


def _frame(paragraph: str, letter: Letter) -> bool:
    """A greeting, closing or signature the model added: the template provides those."""
    low = paragraph.lower()
    return (
        low.startswith(("dear ", "hello", "hi ", "to whom"))
        or low.rstrip(",").startswith(("kind regards", "best regards", "sincerely", "regards"))
        or paragraph.strip() == letter.name
    )


def _names_target(paragraphs: list[str], job: Job) -> bool:
    """Whether the letter body still names the company it is sent to."""
    return any(job.company.lower() in p.lower() for p in paragraphs)


def _audit(
    resume: Resume,
    letter: Letter | None,
    facts: Facts,
    watch: tuple[str, ...],
    events: list[GuardEvent],
) -> None:
    """Check the finished free text once more; record anything that slipped through."""
    texts = [("summary", resume.summary)]
    texts += [(f"{s.heading}.bullet", b) for s in resume.sections for e in s.entries
              for b in e.bullets]  # fmt: skip
    if letter is not None:
        texts += [(f"letter.paragraph[{i}]", p) for i, p in enumerate(letter.paragraphs)]
    for name, text in texts:
        problems = check(text, facts, watch)
        if problems:
            events.append(GuardEvent(name, "flagged", text, problems))
