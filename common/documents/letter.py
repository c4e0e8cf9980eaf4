"""The template cover letter: written for the posting, in its language, from profile facts.

Paragraph one names the role and who the candidate is (label, years of experience, where they
work); it then names the 2-4 requirements of the posting the candidate meets. Paragraph two
gives the strongest evidence for them, newest work first: in the profile's own language the
candidate's highlights are quoted in the first person ("At HSBC, I developed ..."); in another
language, where and when they used each skill. Then certificates, a degree when the posting
asks for one or it is recent, the languages the posting mentions, and a short close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from common.documents.facts import wordset
from common.documents.profile_index import profile_index
from common.documents.requirements import MAX_REQUIREMENTS, Evidence, Match
from common.documents.select import Relevance
from common.documents.titles import clean_company, role_name
from common.domain.candidate import Education, Profile, Work
from common.domain.experience import parse_date, whole_years
from common.domain.job import Job
from common.i18n.phrases import Phrases

IRREGULAR_PAST = wordset(
    "built wrote led ran made grew cut set took drove won taught brought began shipped"
    " rebuilt rewrote oversaw spoke sold found kept"
)
MAX_EVIDENCE = MAX_REQUIREMENTS  # highlights, projects: one per requirement named
RECENT_DEGREE_DAYS = 2 * 365


def as_action(highlight: str) -> str:
    """A highlight as the rest of ``I ...``, when it starts with a past-tense verb."""
    first, _, rest = highlight.strip().partition(" ")
    if first.lower() in IRREGULAR_PAST or (first.endswith("ed") and first[1:].islower()):
        return f"{first.lower()} {rest}".rstrip(" .")
    return ""


def a_or_an(phrase: str) -> str:
    """``a Data Engineer`` / ``an Engineer`` (by the first letter; good enough for titles)."""
    return f"{'an' if phrase[:1].lower() in 'aeiou' else 'a'} {phrase}"


def contact_lines(profile: Profile) -> list[str]:
    """Email, phone, place and links, as the profile states them."""
    basics = profile.basics
    place = ""
    if basics.location:
        place = ", ".join(p for p in (basics.location.city, basics.location.countryCode) if p)
    links = [p.url for p in basics.profiles if p.url]
    return [c for c in (basics.email, basics.phone, place, basics.url, *links) if c]


def newest_first(work: list[Work]) -> list[Work]:
    """Work entries in reverse-chronological order (current jobs first)."""
    return sorted(
        work, key=lambda w: (w.endDate is None, w.endDate or "", w.startDate or ""), reverse=True
    )


def is_current(work: Work, today: date) -> bool:
    """Whether ``work`` has not ended by ``today``."""
    return not work.endDate or parse_date(work.endDate, today) > today


@dataclass
class LetterText:
    """What the template wrote: the paragraphs and the fixed parts around them."""

    greeting: str
    paragraphs: list[str]
    closing: str
    subject: str
    date: str
    role: str
    company: str
    subject_label: str


class LetterBuilder:
    """Writes the letter for one job in one language."""

    def __init__(
        self, profile: Profile, job: Job, match: Match, say: Phrases, today: date, *, quote: bool
    ) -> None:
        self.profile, self.job, self.match, self.say = profile, job, match, say
        self.today, self.quote = today, quote
        self.role = role_name(job.title)
        self.company = clean_company(job.company)

    def build(self) -> LetterText:
        """The letter's parts."""
        say, company = self.say, self.company
        paragraphs = [_tidy(p) for p in (self.introduction(), self.evidence(), self.extras())]
        names = [r.name for r in self.match.top[:2]]
        closing = (
            say.say("letter.closing_paragraph", skills=say.join(names), company=company)
            if names
            else say.say("letter.closing_paragraph_plain", company=company)
        )
        return LetterText(
            greeting=say.say("letter.greeting", company=company)
            if company
            else say.say("letter.greeting_no_company"),
            paragraphs=[p for p in paragraphs if p] + [_tidy(closing)],
            closing=say.say("letter.closing"),
            subject=say.say("letter.subject", role=self.role),
            date=say.date(self.today),
            role=self.role,
            company=company,
            subject_label=say.say("letter.subject_label"),
        )

    # paragraph one: the role, who the candidate is, what of the posting they bring
    def introduction(self) -> str:
        say = self.say
        parts = [say.say("letter.opening", role=self.role, company=self.company)]
        works = [w for w in newest_first(self.profile.work) if w.name]
        label = (self.profile.basics.label or (works[0].position if works else "") or "").strip()
        years = whole_years(self.profile.work, self.today)
        if label:
            fields = {"label": label, "a_label": a_or_an(label), "years": say.number(years)}
            if years >= 1 and works:
                current = is_current(works[0], self.today)
                key = "letter.intro_years_current" if current else "letter.intro_years_past"
                parts.append(say.say(key, employer=works[0].name, **fields))
            elif years >= 1:
                parts.append(say.say("letter.intro_years", **fields))
            else:
                parts.append(say.say("letter.intro", **fields))
        names = [r.name for r in self.match.top]
        if names:
            key = "letter.requirements" if len(names) > 1 else "letter.requirement_one"
            parts.append(say.say(key, skills=say.join(names)))
        return " ".join(parts)

    # paragraph two: the strongest evidence for those requirements
    def evidence(self) -> str:
        items: list[Evidence] = []
        for req in self.match.top:
            ev = req.evidence
            if (
                ev is not None
                and ev.kind != "certificate"
                and all(ev.text != i.text for i in items)
            ):
                items.append(ev)
        items = items[:MAX_EVIDENCE]
        if not self.match.top:
            return self._no_match_evidence()
        names = {r.key: r.name for r in self.match.requirements}
        sentences: list[str] = []
        by_work: dict[int, list[Evidence]] = {}
        order: list[Evidence | list[Evidence]] = []
        for ev in items:
            if ev.kind == "work" and ev.work is not None:
                group = by_work.get(id(ev.work))
                if group is None:
                    by_work[id(ev.work)] = group = []
                    order.append(group)
                group.append(ev)
            else:
                order.append(ev)
        for entry in order:
            if isinstance(entry, list):
                sentences += self._work_sentences(entry, names)
            else:
                sentences.append(self._project_sentence(entry, names))
        return " ".join(s for s in sentences if s)

    def _skills_of(self, group: list[Evidence], names: dict[str, str]) -> str:
        keys = list(dict.fromkeys(k for ev in group for k in ev.keys))
        return self.say.join([names[k] for k in keys if k in names])

    def _work_sentences(self, group: list[Evidence], names: dict[str, str]) -> list[str]:
        say, work = self.say, group[0].work
        assert work is not None
        employer = work.name or ""
        if say.code == "en" and self.quote:
            actions = [as_action(ev.text) for ev in group]
            if all(actions) and employer:
                first = say.say("letter.action_first", employer=employer, action=actions[0])
                more = ["letter.action_more", "letter.action_further"]  # not "I also" twice
                return [first] + [
                    say.say(more[min(i, 1)], action=a) for i, a in enumerate(actions[1:])
                ]
            if employer:
                return [
                    say.say("letter.action_quote", employer=employer, highlight=_bare(ev.text))
                    for ev in group
                ]
        skills = self._skills_of(group, names)
        if not employer or not skills:
            return []
        start, end = _year(work.startDate), _year(work.endDate)
        position = work.position or ""
        if start and position and is_current(work, self.today):
            out = [
                say.say(
                    "letter.work_current",
                    employer=employer,
                    position=position,
                    start=start,
                    skills=skills,
                )
            ]
        elif start and end and position:
            out = [
                say.say(
                    "letter.work_past",
                    employer=employer,
                    position=position,
                    start=start,
                    end=end,
                    skills=skills,
                )
            ]
        else:
            out = [say.say("letter.work_no_dates", employer=employer, skills=skills)]
        if self.quote:
            out += [say.say("letter.example", highlight=_bare(ev.text)) for ev in group[:1]]
        return out

    def _project_sentence(self, ev: Evidence, names: dict[str, str]) -> str:
        project = ev.project
        if project is None or not project.name:
            return ""
        skills = self._skills_of([ev], names)
        if self.quote and ev.text:  # the project's line that names the requirement
            return self.say.say(
                "letter.project_example",
                project=project.name,
                skills=skills,
                highlight=_bare(ev.text),
            )
        return self.say.say("letter.project", project=project.name, skills=skills)

    def _no_match_evidence(self) -> str:
        """Nothing of the posting in the profile: a highlight of the newest job, quoted."""
        works = [w for w in newest_first(self.profile.work) if w.name and w.highlights]
        if not works or not self.quote:
            return ""
        work, say = works[0], self.say
        # the highlight sharing most with the posting; a quantified one says the most
        rel = Relevance(profile_index(self.profile), self.job, None)
        highlight = max(work.highlights, key=lambda h: (rel.score(h), bool(re.search(r"\d", h))))
        action = as_action(highlight)
        if say.code == "en" and action:
            return say.say("letter.action_first", employer=work.name, action=action)
        return say.say("letter.action_quote", employer=work.name, highlight=_bare(highlight))

    # paragraph three: certificates, a degree, languages
    def extras(self) -> str:
        say = self.say
        parts: list[str] = []
        # certificates that name a requirement of the posting, whether or not they were the
        # strongest evidence for it
        index = profile_index(self.profile)
        certs = [
            ev.certificate.name
            for r in self.match.requirements
            for _, ev in index.evidence_for(r.key)
            if ev.certificate is not None and ev.certificate.name and r.key in index.keys_of(ev)
        ]
        certs = list(dict.fromkeys(certs))[:2]
        if certs:
            key = "letter.certificates" if len(certs) > 1 else "letter.certificate"
            parts.append(say.say(key, certificates=say.join(certs)))
        degree = self._degree()
        if degree:
            parts.append(degree)
        spoken = self._languages()
        if spoken:
            parts.append(say.say("letter.languages", languages=say.join(spoken)))
        return " ".join(parts)

    def _degree(self) -> str:
        edu = _latest_education(self.profile.education)
        if edu is None or not edu.institution or not (edu.studyType or edu.area):
            return ""
        end = parse_date(edu.endDate, self.today) if edu.endDate else None
        recent = end is not None and (self.today - end).days <= RECENT_DEGREE_DAYS
        asked = self._posting_asks_for_degree()
        if not (asked or recent or (end is not None and end > self.today)):
            return ""
        degree = self.say.say("letter.degree", type=edu.studyType or "", area=edu.area or "")
        degree = degree.strip(" ,") if edu.studyType and edu.area else (edu.studyType or edu.area)
        if end is not None and end > self.today:
            return self.say.say(
                "letter.education_ongoing",
                degree=degree,
                institution=edu.institution,
                month_year=self.say.month_year(end),
            )
        if end is None:
            return ""
        return self.say.say(
            "letter.education_done", degree=degree, institution=edu.institution, year=end.year
        )

    def _posting_asks_for_degree(self) -> bool:
        text = self.job.description
        return any(
            rx.search(text)
            for rx in (self.say.patterns("degree_words"), _english().patterns("degree_words"))
            if rx is not None
        )

    def _languages(self) -> list[str]:
        """The candidate's languages that the posting names (in its language or English)."""
        from common.i18n.phrases import code_of_language_name

        low = self.job.description.lower()
        out = []
        for lang in self.profile.languages:
            code = code_of_language_name(lang.language or "")
            if code is None:
                continue
            named = {self.say.language_name(code).lower(), _english().language_name(code).lower()}
            # a name absent from the text is not searched for as a word
            if not any(n in low and re.search(rf"\b{re.escape(n)}\b", low) for n in named):
                continue
            fluency = self.say.fluency(lang.fluency or "")
            name = self.say.language_name(code)
            out.append(f"{name} ({fluency})" if fluency else name)
        return out


def _english() -> Phrases:
    from common.i18n.phrases import phrases

    return phrases("en")


def _latest_education(education: list[Education]) -> Education | None:
    dated = [e for e in education if e.endDate or e.startDate]
    return max(dated, key=lambda e: e.endDate or "9999", default=None)


def _year(value: str | None) -> str:
    m = re.match(r"\d{4}", value or "")
    return m.group(0) if m else ""


def _tidy(text: str) -> str:
    """One full stop where a name ending in one ends a sentence ("Sp. z o.o.." -> "o.o.")."""
    return re.sub(r"\.\.(?=\s|$)", ".", text)


def _bare(highlight: str) -> str:
    return highlight.strip().rstrip(".")
