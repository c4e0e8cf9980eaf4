"""Who an application may go to, decided by code from the posting alone (never by the model).

Every address written in a posting is classified by the words around it (an application
address; accommodation or disability requests; questions only; privacy; no-reply; a request
to copy someone; an instruction aimed at an AI; nothing said) and by its domain (the
employer's own, a recruiting system's mail domain, a look-alike, a free mail provider, other).
The phrases and domain lists are data: ``common/resources/recipients.yaml``.

An application is sent automatically only to an application address on the employer's domain
(the registrable domain of the company website or of a direct apply link, when the actor gives
them) or on a known recruiting-system mail domain. Any other application address is *held*:
the job goes to review with the reason, and only a person can choose it. A posting that asks
to copy or redirect the application elsewhere, or that talks to an AI, goes to review too.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from common.analysis.contact import injected_sentences
from common.domain.job import Job
from common.normalize.text import iter_emails


class Kind(StrEnum):
    """What the posting says an address is for."""

    APPLICATION = "application"
    ACCOMMODATION = "accommodation"
    PRIVACY = "privacy"
    QUESTIONS = "questions"
    NO_REPLY = "no_reply"
    COPY = "copy"  # "cc / bcc / forward a copy to ..."
    INJECTED = "injected"  # inside a sentence aimed at an AI
    UNRELATED = "unrelated"  # nothing around it says what it is for


class Trust(StrEnum):
    """Whose domain an address is on."""

    EMPLOYER = "employer"
    ATS = "ats"  # a recruiting system's mail domain
    LOOKALIKE = "lookalike"
    FREE_MAIL = "free_mail"
    OTHER = "other"


_WHAT = {
    Kind.ACCOMMODATION: "for accommodation or disability requests only",
    Kind.PRIVACY: "for privacy or data-protection requests only",
    Kind.QUESTIONS: "for questions only",
    Kind.NO_REPLY: "a no-reply mailbox",
    Kind.COPY: "asked to be copied on the application",
    Kind.INJECTED: "inside an instruction aimed at an AI",
    Kind.UNRELATED: "not said to be for applications",
}
_BOUNDARY = re.compile(r"[.!?;](?=\s|$)|\n")
_WINDOW_BEFORE, _WINDOW_AFTER = 240, 120
_RESERVED = {"example", "test", "invalid", "localhost"}  # RFC 2606 names, used in tests
#: a Title-Case word run into an address by a scrape that lost the space ("Email Your Resume
#: In Word Todanielle.olson@..."): which it is cannot be told ("Tom.smith@" is a name), so
#: such an address is only ever chosen by a person, told what it may be
_GLUED_WORD = re.compile(r"(?:To|At|Email|Mail|Contact)(?=[a-z])")
_TITLE_WORD_BEFORE = re.compile(r"(?:^|\s)[A-Z][A-Za-z]*\s+$")


@dataclass(frozen=True)
class Finding:
    """One address of a posting, what it is for, and whose domain it is on."""

    address: str
    kind: Kind
    trust: Trust
    domain: str  # registrable domain of the address
    context: str  # the words around it, for people
    redirect: bool = False  # the words around it change or add a recipient ("... instead")
    lookalike_of: str | None = None
    unglued: str | None = None  # the address without a word that may be run into it

    @property
    def trusted(self) -> bool:
        """On the employer's domain or a recruiting system's mail domain."""
        return self.trust in (Trust.EMPLOYER, Trust.ATS)

    def why_not(self, employer: list[str]) -> str:
        """Why this address is not sent to automatically."""
        if self.kind is not Kind.APPLICATION:
            return f"{self.address} is {_WHAT[self.kind]}"
        if self.unglued:
            glued = (
                f"{self.address} may begin with a word run into it: perhaps {self.unglued} "
                "(approve with --to the right one)"
            )
            return (
                glued
                if self.trusted
                else f"{glued}; {replace(self, unglued=None).why_not(employer)}"
            )
        known = ", ".join(employer)
        if self.trust is Trust.LOOKALIKE:
            return f"{self.address}: {self.domain} looks like {self.lookalike_of} but is not it"
        if self.trust is Trust.FREE_MAIL:
            where = f" ({known})" if known else ""
            return f"{self.address} is a free mail address, not the employer's domain{where}"
        if not employer:
            return (
                f"{self.address}: the employer's own domain is unknown (no company website or "
                "direct apply link), so a person must confirm it"
            )
        return f"{self.address}: {self.domain} is not the employer's domain ({known})"


@dataclass(frozen=True)
class Choice:
    """The recipient code allows, the address held for a person, and why."""

    recipient: str | None  # may be sent to automatically
    held: str | None  # an application address only a person may choose
    note: str  # one line for review, digest and status
    suspicious: list[str] = field(default_factory=list)  # reasons the posting needs a person

    @property
    def needs_review(self) -> bool:
        """Code will not let this posting go out on its own."""
        return bool(self.suspicious) or (self.recipient is None and self.held is not None)


# --- data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    cues: dict[str, re.Pattern[str]]
    local_parts: dict[str, frozenset[str]]
    job_boards: frozenset[str]
    ats_hosts: frozenset[str]
    ats_mail: tuple[str, ...]
    free_mail: frozenset[str]


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    words = sorted({p.casefold() for p in phrases}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@cache
def rules() -> _Rules:
    """The phrase and domain lists of ``recipients.yaml``, compiled once."""
    import yaml

    text = (resources.files("common.resources") / "recipients.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    cues = {
        kind: _pattern([p for phrases in by_language.values() for p in phrases])
        for kind, by_language in data["context"].items()
    }
    return _Rules(
        cues=cues,
        local_parts={k: frozenset(v) for k, v in data["local_parts"].items()},
        job_boards=frozenset(data["job_boards"]),
        ats_hosts=frozenset(data["ats_hosts"]),
        ats_mail=tuple(data["ats_mail"]),
        free_mail=frozenset(data["free_mail"]),
    )


@cache
def _suffixes() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@lru_cache(maxsize=4096)
def registrable(host: str) -> str:
    """The registrable domain of ``host`` (``careers.acme.co.uk`` -> ``acme.co.uk``; the last
    few thousand answers kept: job boards and employers repeat from posting to posting)."""
    host = host.strip().strip(".").lower().removeprefix("www.")
    return _suffixes().privatesuffix(host) or host


def unglue(address: str) -> str:
    """Drop text run into an address's top-level domain: ``hr@acme.comhttps`` (a real
    posting's "acme.comhttps://...") is ``hr@acme.com``; a known or reserved TLD is kept."""
    local, _, domain = address.rpartition("@")
    head, _, tld = domain.rpartition(".")
    psl = _suffixes()
    if not head or tld in _RESERVED or psl.publicsuffix(tld, accept_unknown=False):
        return address
    for n in range(len(tld) - 1, 1, -1):
        if psl.publicsuffix(tld[:n], accept_unknown=False) == tld[:n]:
            return f"{local}@{head}.{tld[:n]}"
    return address


def _host(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host if host and "." in host else None


def employer_domains(job: Job) -> list[str]:
    """The employer's own registrable domains: the company website and the job's direct apply
    link or URL, unless they are a job board or a recruiting system."""
    r = rules()
    out: list[str] = []
    # each link once (LinkedIn gives the job's URL as its direct link too)
    for url in dict.fromkeys((job.company_url, job.job_url_direct, job.job_url)):
        host = _host(url)
        if not host:
            continue
        domain = registrable(host)
        if domain in r.job_boards or domain in r.ats_hosts or domain in r.free_mail:
            continue
        if domain not in out:
            out.append(domain)
    return out


def _brand(domain: str) -> str:
    """The distinctive part of a registrable domain (``nordlicht`` of ``nordlicht.co.uk``)."""
    suffix = _suffixes().publicsuffix(domain) or ""
    return domain[: -len(suffix) - 1] if suffix and domain.endswith("." + suffix) else domain


def _trust(domain: str, address_host: str, employer: list[str]) -> tuple[Trust, str | None]:
    r = rules()
    if domain in employer:
        return Trust.EMPLOYER, None
    if any(address_host == m or address_host.endswith("." + m) for m in r.ats_mail):
        return Trust.ATS, None
    for own in employer:
        brand, theirs = _brand(own), _brand(domain)
        similar = difflib.SequenceMatcher(None, brand, theirs).ratio() >= 0.75
        if similar or (len(brand) >= 4 and brand in address_host) or "xn--" in address_host:
            return Trust.LOOKALIKE, own
    if domain in r.free_mail:
        return Trust.FREE_MAIL, None
    return Trust.OTHER, None


# --- context --------------------------------------------------------------------------------


def _clause(
    text: str, start: int, end: int, prev_end: int, next_start: int
) -> tuple[list[str], str]:
    """The words before one address, clause by clause from the nearest (at most three, none
    past the previous address), and the rest of its own clause after it."""
    lo = max(prev_end, start - _WINDOW_BEFORE)
    before = text[lo:start]
    cuts = [0, *(m.end() for m in _BOUNDARY.finditer(before)), len(before)]
    clauses = [before[a:b] for a, b in pairwise(cuts)][::-1]
    clauses = [c for c in clauses if c.strip()] or [""]
    if not clauses[0].strip(" \t"):
        clauses = clauses[1:] or [""]
    hi = min(next_start, end + _WINDOW_AFTER)
    after = text[end:hi]
    stop = _BOUNDARY.search(after)
    return clauses[:3], after[: stop.start()] if stop else after


def _nearest(patterns: dict[str, re.Pattern[str]], text: str, kinds: tuple[str, ...]) -> str | None:
    """The kind whose cue ends last in ``text`` (the closest before an address)."""
    best: tuple[int, str] | None = None
    for kind in kinds:
        for m in patterns[kind].finditer(text):
            if best is None or m.end() > best[0]:
                best = (m.end(), kind)
    return best[1] if best else None


def _action(before: list[str], after: str) -> Kind | None:
    """What the nearest words that say anything ask for: a copy, an application, questions."""
    cues = rules().cues
    for i, part in enumerate([before[0], after, *before[1:]]):
        if i != 1 and _nearest(cues, part, ("copy", "application", "questions")) == "copy":
            return Kind.COPY
        for kind in (Kind.APPLICATION, Kind.QUESTIONS, Kind.COPY):
            if cues[kind.value].search(part):
                return kind
    return None


def _kind(address: str, before: list[str], after: str, injected: bool) -> tuple[Kind, bool]:
    r = rules()
    local = address.split("@", 1)[0]
    before = [b.casefold() for b in before]
    after = after.casefold()
    own = f"{before[0]} {after}"  # the address's own clause
    redirect = bool(r.cues["redirect"].search(own))
    if local in r.local_parts["no_reply"] or r.cues["no_reply"].search(own):
        return Kind.NO_REPLY, redirect
    if injected:
        return Kind.INJECTED, redirect
    for kind in (Kind.ACCOMMODATION, Kind.PRIVACY):
        if local in r.local_parts[kind.value] or r.cues[kind.value].search(own):
            return kind, redirect
    action = _action(before, after)
    if action is not None:
        return action, redirect
    if local in r.local_parts["application"]:
        return Kind.APPLICATION, redirect
    return Kind.UNRELATED, redirect


def _gives_address(job: Job) -> bool:
    """Whether the posting may give an address: an "@" in its text, or the actor's field."""
    return "@" in job.description or "@" in job.title or bool(job.emails)


def classify(job: Job, employer: list[str] | None = None) -> list[Finding]:
    """Every address of the posting (its text, then the actor's email field), classified
    (``employer``: :func:`employer_domains` of the job, when the caller has them)."""
    if not _gives_address(job):
        return []
    text = f"{job.title}\n{job.description}"
    from email_validator import EmailNotValidError, validate_email  # only where an address is

    if employer is None:
        employer = employer_domains(job)
    tainted = {unglue(a) for s in injected_sentences(text, "@") for _, _, a in iter_emails(s)}
    spots = list(iter_emails(text))
    seen: dict[str, Finding] = {}
    extra = [(-1, -1, e.strip().lower()) for e in job.emails]
    valid: dict[str, str | None] = {}  # the actor's field mostly repeats the text's addresses
    for i, (start, end, written) in enumerate([*spots, *extra]):
        if written not in valid:
            try:
                normalized = validate_email(unglue(written), check_deliverability=False).normalized
                valid[written] = normalized.lower()
            except EmailNotValidError:
                valid[written] = None
        address = valid[written]
        if address is None:
            continue
        if start < 0:
            if any(address == f.address or f.address.startswith(address) for f in seen.values()):
                continue
            before, after = [""], ""  # only in the actor's field (an HTML attribute, say)
        else:
            prev_end = spots[i - 1][1] if i > 0 else 0
            next_start = spots[i + 1][0] if i + 1 < len(spots) else len(text)
            before, after = _clause(text, start, end, prev_end, next_start)
        kind, redirect = _kind(address, before, after, address in tainted)
        unglued = _unglued(text, start, address) if start >= 0 else None
        host = address.split("@", 1)[1]
        domain = registrable(host)
        trust, like = _trust(domain, host, employer)
        found = Finding(
            address,
            kind,
            trust,
            domain,
            " ".join(f"{before[0]}{address}{after}".split())[-200:],
            redirect,
            like,
            unglued,
        )
        previous = seen.get(address)
        if previous is None or _worse(found, previous):
            seen[address] = found  # an address said twice counts by its least safe use
    return list(seen.values())


def _unglued(text: str, start: int, address: str) -> str | None:
    """``address`` (written at ``start`` of ``text``) without a Title-Case word it may have
    run into it, when one of a Title-Case run of words may be (see :data:`_GLUED_WORD`)."""
    word = _GLUED_WORD.match(text, start)
    if word is None or not _TITLE_WORD_BEFORE.search(text, max(0, start - 40), start):
        return None
    return address[word.end() - start :]


_SAFE = [Kind.APPLICATION, Kind.QUESTIONS, Kind.UNRELATED]


def _worse(a: Finding, b: Finding) -> bool:
    rank = {k: i for i, k in enumerate(_SAFE)}
    return rank.get(a.kind, 99) > rank.get(b.kind, 99) or (a.redirect and not b.redirect)


_NO_ADDRESS = "the posting gives no application address: apply through its link"


def choose_recipient(job: Job) -> Choice:
    """The application address code allows, else the one held for a person, and why."""
    if not _gives_address(job):  # most postings: no address to judge, no domain looked up
        return Choice(None, None, _NO_ADDRESS)
    employer = employer_domains(job)
    findings = classify(job, employer)
    applying = [f for f in findings if f.kind is Kind.APPLICATION]
    sure = [f for f in applying if not f.unglued]  # a person picks an address that may be glued
    auto = next((f for f in sure if f.trusted and not f.redirect), None)
    auto = auto or next((f for f in sure if f.trusted), None)
    suspicious = [
        f.why_not(employer)
        + (": the posting asks to send a copy there" if f.kind is Kind.COPY else "")
        for f in findings
        if f.kind in (Kind.COPY, Kind.INJECTED) and not f.trusted
    ]
    suspicious += [
        f"{f.address}: the posting redirects the application to another domain"
        for f in applying
        if f.redirect and not f.trusted
    ]
    if auto is not None:
        note = f"application address {auto.address} is on the employer's domain"
        if auto.trust is Trust.ATS:
            note = f"application address {auto.address} is a recruiting system's mailbox"
        return Choice(auto.address, None, note, suspicious)
    held = applying[0] if applying else None
    if held is not None:
        return Choice(None, held.address, held.why_not(employer), suspicious)
    if findings:
        note = "no application address: " + "; ".join(f.why_not(employer) for f in findings[:3])
    else:
        note = _NO_ADDRESS
    return Choice(None, None, note, suspicious)
