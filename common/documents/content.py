"""Build an application's content from the profile and the job, guarded against fabrication.

The template path (no model) finds the posting's requirements the candidate meets and the
profile's evidence for each, writes the letter in the posting's language (when the candidate
speaks it) and tailors the resume. A :class:`common.ports.DocumentWriter` (Gemini), when
given, writes the letter body and the resume summary in one call; its text passes the guard
sentence by sentence, and the template is kept when the writer fails or the guard rejects it.
What happened is recorded: guard events, the letter's language, who wrote it and why.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from common.documents.facts import Facts, build_facts, quantities
from common.documents.guard import GuardEvent, check, guard_text, sentences
from common.documents.letter import LetterBuilder, contact_lines, newest_first
from common.documents.model import ApplicationContent, Entry, Letter, Resume, Section
from common.documents.profile_index import ProfileIndex, profile_index
from common.documents.requirements import Match, match_requirements
from common.documents.select import Relevance, by_relevance, span, top
from common.domain.analysis import Analysis
from common.domain.candidate import Profile, Project, Work
from common.domain.experience import parse_date, whole_years
from common.domain.job import Job
from common.errors import AutoapplyError
from common.i18n.detect import detect
from common.i18n.phrases import DEFAULT, Phrases, code_of_language_name, phrases, supported
from common.logging import get_logger
from common.ports import DocumentWriter, WritingBrief
from common.safetext import clean_text, one_line

MAX_JOBS = 5  # work entries on the resume (the two newest always stay)
MAX_HIGHLIGHTS = 4  # per work entry
MAX_PROJECTS = 3
MAX_SUMMARY_SENTENCES = 2  # of the profile's own summary, after the tailored first one
MAX_LETTER_WORDS = 400  # a longer model letter is replaced by the template one

log = get_logger("documents")


# --- language -------------------------------------------------------------------------------


def speaks(profile: Profile, index: ProfileIndex, code: str) -> bool:
    """Whether the candidate speaks ``code``: the profile is written in it or lists it."""
    if index.language == code:
        return True
    return any(code_of_language_name(lang.language or "") == code for lang in profile.languages)


def letter_language(profile: Profile, job: Job | None) -> tuple[str, list[str]]:
    """The letter's language and, when it is not the posting's, why (for the record).

    The posting's language, when there is a template for it and the candidate speaks it;
    otherwise English (or the profile's language when the candidate does not list English).
    """
    index = profile_index(profile)
    fallback = (
        DEFAULT if speaks(profile, index, DEFAULT) or not profile.languages else index.language
    )
    if job is None:
        return index.language, []
    found = detect(f"{job.title}\n{job.description}")
    if found is None:
        return fallback, [
            "the posting's language was not recognised: the letter is in "
            f"{phrases(fallback).data['language_names'][fallback]}"
        ]
    english = phrases("en")
    name = english.language_name(found.code)
    if found.code not in supported():
        return fallback, [
            f"the posting is in {name}, which has no letter template: the letter "
            f"is in {english.language_name(fallback)}"
        ]
    if not speaks(profile, index, found.code):
        return fallback, [
            f"the posting is in {name}, which the profile does not list among "
            f"your languages: the letter is in {english.language_name(fallback)}"
        ]
    return found.code, []


# --- resume ---------------------------------------------------------------------------------


def _work_text(work: Work) -> str:
    return " ".join([work.position or "", work.summary or "", *work.highlights])


def _project_text(project: Project) -> str:
    parts = [project.name or "", project.description or "", *project.highlights]
    return " ".join(parts + project.keywords)


def build_resume(
    profile: Profile, rel: Relevance, match: Match | None, job: Job | None, today: date
) -> Resume:
    """The resume: the profile's facts, selected and ordered for the job, headed in the
    profile's language."""
    basics = profile.basics
    say = phrases(rel.index.language)
    present = say.say("resume.present")
    works = top(newest_first(profile.work), lambda w: rel.score(_work_text(w)), MAX_JOBS, keep=2)
    # a highlight the letter quotes stays on the resume, whatever else is more relevant
    cited = {r.evidence.text for r in match.top if r.evidence} if match else set()
    experience = Section(
        say.say("resume.experience"),
        [
            Entry(
                title=w.position or "",
                org=w.name or "",
                dates=span(w.startDate, w.endDate, present=present),
                location=w.location or "",
                bullets=by_relevance(
                    w.highlights, lambda h: rel.score(h) + (100.0 if h in cited else 0.0)
                )[:MAX_HIGHLIGHTS],
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
        say.say("resume.projects"),
        [
            Entry(
                title=p.name or "",
                dates=span(p.startDate, p.endDate, present=present),
                bullets=[b for b in [p.description or "", *p.highlights[:2]] if b],
            )
            for p in projects
        ],
    )
    education = Section(
        say.say("resume.education"),
        [
            Entry(
                title=" in ".join(p for p in (e.studyType, e.area) if p),
                org=e.institution or "",
                dates=span(e.startDate, e.endDate, open_end=False, present=present),
            )
            for e in sorted(profile.education, key=lambda e: e.endDate or "9999", reverse=True)
        ],
    )
    certificates = Section(
        say.say("resume.certifications"),
        [
            Entry(title=c.name or "", org=c.issuer or "", dates=span(None, c.date, present=present))
            for c in by_relevance(profile.certificates, lambda c: rel.score(c.name or ""))
        ],
    )
    skills = Section(say.say("resume.skills"), lines=_skill_lines(profile, rel))
    languages = [
        f"{lang.language} ({lang.fluency})" if lang.fluency else lang.language
        for lang in profile.languages
        if lang.language
    ]
    language_section = Section(
        say.say("resume.languages"), lines=[", ".join(languages)] if languages else []
    )
    sections = [experience, project_section, education, certificates, skills, language_section]
    title = say.say("resume.document_title", name=basics.name)
    return Resume(
        name=basics.name,
        headline=basics.label or "",
        contact=contact_lines(profile),
        summary=tailored_summary(profile, rel, match, say, today),
        sections=[s for s in sections if s.entries or s.lines],
        summary_heading=say.say("resume.summary"),
        lang=say.code,
        title=title,
    )


def _skill_lines(profile: Profile, rel: Relevance) -> list[str]:
    """``Skill: keyword, keyword``, the job's skills first and their matching keywords first."""
    lines = []
    for skill in by_relevance(profile.skills, lambda s: rel.score(" ".join([s.name, *s.keywords]))):
        keywords = list(dict.fromkeys(by_relevance(skill.keywords, rel.score)))
        lines.append(f"{skill.name}: {', '.join(keywords)}" if keywords else skill.name)
    return lines


def summary_sentences(profile: Profile, say: Phrases, today: date, *, years: int) -> list[str]:
    """The profile summary's sentences that still hold and describe the candidate: without
    objectives ("Looking for ..."), clauses dated in the past but phrased as future
    ("graduating May 2025" in 2026) and, when the letter states computed years, the
    summary's own years claim."""
    text = (profile.basics.summary or "").strip()
    objective, future = say.patterns("objective"), say.patterns("future")
    kept = []
    for sentence in sentences(text):
        if objective is not None and objective.search(sentence):
            continue
        if future is not None and future.search(sentence) and _dated_before(sentence, today):
            continue
        if years and any(unit == "year" for _, unit in quantities(sentence)):
            continue
        kept.append(sentence)
    return kept


_WHAT_THEY_DO = re.compile(r",\s+([a-z]+ing\b[^.]*)")


def doing_clause(profile: Profile, years: int) -> str:
    """What the summary's years claim says the candidate does ("..., building data pipelines
    and APIs"), to keep once the claim itself gives way to the computed years."""
    for sentence in sentences((profile.basics.summary or "").strip()):
        if years and any(unit == "year" for _, unit in quantities(sentence)):
            m = _WHAT_THEY_DO.search(sentence)
            if m and not _YEAR_RE.search(m.group(1)):
                return m.group(1).rstrip(". ")
    return ""


_YEAR_RE = re.compile(r"\b(19\d{2}|20\d{2})\b")


def _dated_before(sentence: str, today: date) -> bool:
    """Whether ``sentence`` names a year (or month and year) that has passed."""
    for m in _YEAR_RE.finditer(sentence):
        year = int(m.group(1))
        if year < today.year:
            return True
        if year == today.year:
            month = parse_date(f"{year}-{_month_before(sentence, m.start())}", today)
            if month.month < today.month:
                return True
    return False


_MONTH_NAMES = [m.lower() for m in phrases("en").data["months"]]


def _month_before(sentence: str, pos: int) -> int:
    words = sentence[:pos].lower().split()
    last = words[-1].strip("(,") if words else ""
    for i, name in enumerate(_MONTH_NAMES, 1):
        if last and name.startswith(last[:3]):
            return i
    return 12


def tailored_summary(
    profile: Profile, rel: Relevance, match: Match | None, say: Phrases, today: date
) -> str:
    """A first sentence for the posting (label, years, the requirements met), then at most
    two of the profile summary's own sentences, the most relevant, in their order."""
    works = newest_first(profile.work)
    label = (profile.basics.label or (works[0].position if works else "") or "").strip()
    years = whole_years(profile.work, today)
    names = match.names(3) if match else []
    lead = ""
    if label and years >= 1:
        key = "resume.lead_years" if names else "resume.lead_years_plain"
        lead = say.say(key, label=label, years=years, skills=say.join(names))
        doing = doing_clause(profile, years)
        if doing:
            lead = f"{lead.rstrip('.')}, {doing}."
    elif label and names:
        lead = say.say("resume.lead", label=label, skills=say.join(names))
    own = summary_sentences(profile, say, today, years=years if lead else 0)
    best = set(top(own, rel.score, MAX_SUMMARY_SENTENCES))
    return " ".join([lead, *[s for s in own if s in best]]).strip()


# --- the whole application ------------------------------------------------------------------


def build_content(
    profile: Profile,
    job: Job | None,
    analysis: Analysis | None = None,
    *,
    today: date,
    writer: DocumentWriter | None = None,
) -> ApplicationContent:
    """The resume (and, with a job, the letter) for ``job``, guarded against fabrication."""
    if job is not None:  # a job stored before normalization cleaned text: clean it here too
        job = job.model_copy(
            update={
                "title": one_line(job.title),
                "company": one_line(job.company),
                "description": clean_text(job.description or ""),
            }
        )
    index = profile_index(profile)
    match = match_requirements(profile, job, analysis) if job is not None else None
    rel = Relevance(index, job, match)
    years = whole_years(profile.work, today)
    facts = build_facts(profile, job, years=years, base=index.facts)
    watch = tuple(analysis.missing) if analysis else ()
    events: list[GuardEvent] = []
    resume = build_resume(profile, rel, match, job, today)
    if job is None or match is None:
        _audit(resume, None, facts, watch, events)
        return ApplicationContent(resume=resume, letter=None, events=events, language=resume.lang)
    language, notes = letter_language(profile, job)
    say = phrases(language)
    quote = language == index.language
    parts = LetterBuilder(profile, job, match, say, today, quote=quote).build()
    letter = Letter(
        name=profile.basics.name,
        contact=contact_lines(profile),
        date=parts.date,
        company=parts.company,
        role=parts.role,
        subject=parts.subject,
        greeting=parts.greeting,
        paragraphs=parts.paragraphs,
        closing=parts.closing,
        subject_label=parts.subject_label,
        lang=language,
        title=say.say("letter.document_title", role=parts.role, company=parts.company),
    )
    content = ApplicationContent(resume, letter, events, language, "template", notes)
    if writer is not None:
        _write(writer, profile, job, match, years, today, facts, watch, content)
    _audit(content.resume, content.letter, facts, watch, events)
    return content


def brief_facts(profile: Profile, match: Match, years: int, today: date) -> dict[str, Any]:
    """The profile facts a writer may use for this letter: never the name, contact details,
    address or links."""
    rel_keys = match.keys()
    index = profile_index(profile)

    def relevant(texts: list[str]) -> list[str]:
        return sorted(texts, key=lambda t: -len(index.scanner.keys(t) & rel_keys))

    works = newest_first(profile.work)[:3]
    label = (profile.basics.label or (works[0].position if works else "") or "").strip()
    return {
        "label": label,
        "years_of_experience": years,
        "requirements_met": match.names(8),
        "summary": summary_sentences(profile, phrases(index.language), today, years=years),
        "work": [
            {
                "employer": w.name,
                "position": w.position,
                "start": w.startDate,
                "end": w.endDate
                if w.endDate and parse_date(w.endDate, today) <= today
                else "present",
                "highlights": relevant(w.highlights)[:MAX_HIGHLIGHTS],
            }
            for w in works
        ],
        "projects": [
            {
                "name": p.name,
                "description": p.description,
                "highlights": p.highlights[:2],
                "keywords": p.keywords,
            }
            for p in relevant_projects(profile, rel_keys, index)
        ],
        "certificates": [c.name for c in profile.certificates if c.name],
        "education": [
            {
                "degree": e.studyType,
                "area": e.area,
                "institution": e.institution,
                "end": e.endDate,
                "completed": bool(e.endDate) and parse_date(e.endDate, today) <= today,
            }
            for e in profile.education
        ],
        "languages": [
            {"language": lang.language, "fluency": lang.fluency} for lang in profile.languages
        ],
    }


def relevant_projects(profile: Profile, keys: set[str], index: ProfileIndex) -> list[Project]:
    """The two projects that show the most of ``keys``."""
    scored = [(len(index.scanner.keys(_project_text(p)) & keys), p) for p in profile.projects]
    return [p for n, p in sorted(scored, key=lambda sp: -sp[0]) if n][:2]


def _write(
    writer: DocumentWriter,
    profile: Profile,
    job: Job,
    match: Match,
    years: int,
    today: date,
    facts: Facts,
    watch: tuple[str, ...],
    content: ApplicationContent,
) -> None:
    """The writer's summary and letter body, kept only where the guard finds nothing.

    A writer that fails with an :class:`AutoapplyError` (budget, breaker, quota, a bad
    answer) leaves the template text in place: the documents never wait for a model.
    """
    letter, resume, events = content.letter, content.resume, content.events
    assert letter is not None
    brief = WritingBrief(
        job=job,
        language=letter.lang,
        summary_language=resume.lang,
        facts=brief_facts(profile, match, years, today),
        draft_summary=resume.summary,
        draft_paragraphs=letter.paragraphs[:-1],  # the close stays the template's
    )
    try:
        written = writer.write(brief)
    except AutoapplyError as exc:
        log.warning("the template text is used (%s): %s", writer.name, exc.message)
        content.notes.append(
            f"written from the template: {writer.name} was not used ({exc.message})"
        )
        return
    summary = guard_text(
        "summary",
        written.summary,
        facts,
        fallback=resume.summary,
        extra_skills=watch,
        events=events,
        language=resume.lang,
    )
    paragraphs = []
    frames = _frames(letter)
    body = [p.strip() for p in written.paragraphs if p.strip()]
    for i, para in enumerate(p for p in body if not _is_frame(p, frames, letter.name)):
        kept = guard_text(
            f"letter.paragraph[{i}]",
            para,
            facts,
            fallback="",
            extra_skills=watch,
            events=events,
            language=letter.lang,
        )
        if kept:
            paragraphs.append(kept)
    words = sum(len(p.split()) for p in paragraphs)
    why = ""
    if len(paragraphs) < 2:
        why = "too little of it passed the guard"
    elif not any(letter.company.lower() in p.lower() for p in paragraphs):
        why = "it does not name the company"
    elif words > MAX_LETTER_WORDS:
        why = f"it is longer than {MAX_LETTER_WORDS} words"
    content.resume = replace(resume, summary=summary)
    if why:
        events.append(GuardEvent("letter", "regenerated", "\n\n".join(body), []))
        content.notes.append(
            f"letter from the template: the {writer.name} letter was rejected ({why})"
        )
        return
    content.letter = replace(letter, paragraphs=[*paragraphs, letter.paragraphs[-1]])
    content.writer = writer.name


def _frames(letter: Letter) -> tuple[str, ...]:
    """Openings of greetings and sign-offs, in the letter's language and English."""
    out = []
    for say in [phrases(code) for code in dict.fromkeys([letter.lang, "en"])]:
        for key in ("letter.greeting_no_company", "letter.closing"):
            out.append(say.say(key).split(",")[0].lower())
        out.append(say.say("letter.greeting", company="").split("{")[0].strip(" ,:").lower())
    return (
        *out,
        "dear ",
        "hello",
        "hi ",
        "to whom",
        "best regards",
        "sincerely",
        "regards",
        "cordialement",
        "bonjour",
        "hallo",
        "viele grüße",
        "saludos",
        "hola",
    )


def _is_frame(paragraph: str, frames: tuple[str, ...], name: str) -> bool:
    """A greeting, closing or signature the model added: the template provides those."""
    low = paragraph.lower().strip()
    return paragraph.strip() == name or any(f and low.startswith(f) for f in frames)


def _audit(
    resume: Resume,
    letter: Letter | None,
    facts: Facts,
    watch: tuple[str, ...],
    events: list[GuardEvent],
) -> None:
    """Check the finished generated text once more; record anything that slipped through.

    Bullets are the profile's own highlights, copied verbatim: they claim nothing new."""
    texts = [("summary", resume.summary, resume.lang)]
    if letter is not None:
        texts += [
            (f"letter.paragraph[{i}]", p, letter.lang) for i, p in enumerate(letter.paragraphs)
        ]
    for name, text, lang in texts:
        problems = check(text, facts, watch, lang)
        if problems:
            events.append(GuardEvent(name, "flagged", text, problems))
