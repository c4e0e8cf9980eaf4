"""The template cover letter: good without any model, built only from profile facts.

Addressed with the job record's company and role; it names the posting's requirements the
candidate meets and backs each with a highlight from their work, then closes briefly.
"""

from __future__ import annotations

import re
from datetime import date

from common.documents.facts import role_name, wordset
from common.documents.model import Letter
from common.documents.select import Relevance, newest_first
from common.domain.candidate import Profile, Work
from common.domain.job import Job

IRREGULAR_PAST = wordset(
    "built wrote led ran made grew cut set took drove won taught brought began shipped"
    " rebuilt rewrote oversaw spoke sold found kept"
)
MAX_EVIDENCE = 3


def join_words(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


ROLE_NOUN_RE = re.compile(r"(er|or|ist|ant|ian|ent|ect|ead|al|ive|ee)$")


def first_person(summary: str) -> str:
    """A profile summary as a letter sentence: ``Backend engineer with ...`` -> ``I am a ...``.

    Only a summary that opens with a role (``... engineer``, ``... analyst``) is turned
    around; anything else is kept as the candidate wrote it.
    """
    text = summary.strip().rstrip(".") + "."
    first = text.split()[0]
    if first.lower() in {"i", "i'm"} or not first[0].isupper() or first.isupper():
        return text
    if len(first) > 1 and not first[1:].islower():
        return text
    clause = re.split(r",| with | who | and | in | at | for ", text, maxsplit=1)[0].rstrip(".")
    if not ROLE_NOUN_RE.search(clause.split()[-1].lower()):
        return text
    article = "an" if first[0].lower() in "aeiou" else "a"
    return f"I am {article} {first.lower()}{text[len(first) :]}"


def as_action(highlight: str) -> str:
    """A highlight as the rest of ``I ...``, when it starts with a past-tense verb."""
    first, _, rest = highlight.strip().partition(" ")
    if first.lower() in IRREGULAR_PAST or (first.endswith("ed") and first[1:].islower()):
        return f"{first.lower()} {rest}".rstrip(".")
    return ""


def evidence(profile: Profile, rel: Relevance) -> list[str]:
    """Sentences tying the job's terms to highlights of the candidate's work (one per job)."""
    used: dict[str, Work] = {}
    for term in rel.terms:
        if len(used) == MAX_EVIDENCE:
            break
        for work in newest_first(profile.work):
            found = _highlight_for(work, term, set(used))
            if found:
                used[found] = work
                break
    by_work: dict[int, tuple[Work, list[str]]] = {}
    for highlight, work in used.items():
        by_work.setdefault(id(work), (work, []))[1].append(highlight)
    return [_evidence_sentence(work, highlights) for work, highlights in by_work.values()]


def _highlight_for(work: Work, term: str, used: set[str]) -> str | None:
    for highlight in work.highlights:
        if highlight not in used and term.lower() in highlight.lower():
            return highlight
    return None


def _evidence_sentence(work: Work, highlights: list[str]) -> str:
    where = f"At {work.name}" if work.name else "In a previous role"
    if work.position:
        where += f", as {work.position}"
    actions = [as_action(h) for h in highlights]
    if all(actions):
        rest = "".join(f" I also {a}." for a in actions[1:])
        return f"{where}, I {actions[0]}.{rest}"
    return f"{where}: {'; '.join(h.rstrip('.') for h in highlights)}."


def template_letter(profile: Profile, job: Job, rel: Relevance, today: date) -> Letter:
    """The deterministic letter for ``job``."""
    basics = profile.basics
    role = role_name(job.title)
    opening = f"I am writing to apply for the {role} position at {job.company}."
    if basics.summary:
        opening += " " + first_person(basics.summary)
    paragraphs = [opening]
    terms = rel.terms[:4]
    proof = evidence(profile, rel)
    if terms:
        body = f"Your posting asks for {join_words(terms)}, and that is the work I do."
        paragraphs.append(" ".join([body, *proof]))
    elif profile.work:
        latest = newest_first(profile.work)[0]
        if latest.highlights:
            paragraphs.append(_evidence_sentence(latest, latest.highlights[:1]))
    extra = _extras(profile, rel)
    if extra:
        paragraphs.append(extra)
    paragraphs.append(
        f"I would welcome the chance to discuss how I could contribute to {job.company} "
        f"as {role}. Thank you for your time and consideration."
    )
    return Letter(
        name=basics.name,
        contact=contact_lines(profile),
        date=f"{today.day} {today:%B %Y}",
        company=job.company,
        role=role,
        subject=f"Application for the {role} position",
        greeting=f"Dear {job.company} hiring team,",
        paragraphs=paragraphs,
        closing="Kind regards,",
    )


def _extras(profile: Profile, rel: Relevance) -> str:
    """Certificates and the languages the posting mentions, when the profile has them."""
    parts: list[str] = []
    certs = [c for c in profile.certificates if c.name]
    if certs:
        named = [f"{c.name} ({c.issuer})" if c.issuer else c.name for c in certs[:2]]
        plural = "s" if len(named) > 1 else ""
        parts.append(f"I hold the {join_words([n for n in named if n])} certification{plural}.")
    spoken = [
        f"{lang.language} ({lang.fluency.lower()})" if lang.fluency else lang.language
        for lang in profile.languages
        if lang.language and rel.posting and lang.language.lower() in rel.posting
    ]
    if spoken:
        parts.append(f"I speak {join_words(spoken)}.")
    return " ".join(parts)


def contact_lines(profile: Profile) -> list[str]:
    """Email, phone, place and links, as the profile states them."""
    basics = profile.basics
    place = ""
    if basics.location:
        place = ", ".join(p for p in (basics.location.city, basics.location.countryCode) if p)
    links = [p.url for p in basics.profiles if p.url]
    return [c for c in (basics.email, basics.phone, place, basics.url, *links) if c]
