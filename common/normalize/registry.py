"""Choosing the normalizer for an item, by evidence: each schema is scored by the keys the
item has that point to it (a key few schemas use counts more than one many use), and the
actor, when known, settles it.

A unique best match wins even when some of its keys are missing (a spreadsheet re-export
without ``jobUrl``). An item that fits two schemas about equally, or none well, is rejected
with a reason that names the closest schema and how to force one, never guessed silently.

The job id is computed from the item alone (:func:`identify`), before any normalizing, so
duplicates are recognized cheaply; :func:`normalize` does both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.domain.job import Job
from common.normalize import glassdoor, google_jobs, indeed, linkedin
from common.normalize.fields import pick
from common.normalize.ids import Identity, NoIdentity
from common.normalize.text import canonical_url, description_fingerprint

#: a description shorter than this (in words) is too thin to recognize a repost by
MIN_FINGERPRINT_WORDS = 30
#: the first characters of a description counted first (enough words there decide it)
_ENOUGH_WORDS_IN = 400
#: evidence a winner needs, and its lead over the runner-up: one key no other schema uses
MIN_EVIDENCE = 1.0
MIN_LEAD = 1.0 - 1e-9
#: evidence an actor id adds to its own schemas when the item's source is known
ACTOR_EVIDENCE = 2.0


@dataclass(frozen=True)
class Rejection:
    """Why an item was not turned into a job."""

    reason: str


Normalizer = Callable[[dict[str, Any], datetime, Identity], Job]


def _keys(names: str) -> frozenset[str]:
    return frozenset(names.split())


@dataclass(frozen=True)
class Schema:
    """One actor's item shape: where it comes from, the keys that point to it, and how the
    posting is identified (id keys, URL keys, the posting URL built from an id)."""

    name: str
    actors: tuple[str, ...]
    evidence: frozenset[str]
    source: str
    id_keys: tuple[str, ...]
    url_keys: tuple[str, ...]
    normalize: Normalizer
    url_template: str | None = None
    identify: Callable[[dict[str, Any]], Identity] | None = None

    def identity(self, item: dict[str, Any]) -> Identity:
        """Who the item's posting is (raises NoIdentity without an id or a URL)."""
        if self.identify is not None:
            return self.identify(item)
        return Identity.of(
            self.source,
            pick(item, *self.id_keys),
            pick(item, *self.url_keys),
            self.url_template,
        )


SCHEMAS: list[Schema] = [
    Schema(
        "linkedin-bebity",
        ("bebity/linkedin-jobs-scraper",),
        _keys(
            "jobUrl companyName companyUrl companyId postedTime publishedAt applicationsCount "
            "contractType experienceLevel workType sector applyType applyUrl benefits "
            "posterFullName posterProfileUrl descriptionHtml"
        ),
        "linkedin",
        ("id",),
        ("jobUrl",),
        linkedin.from_bebity,
        linkedin.POSTING_URL,
    ),
    Schema(
        "linkedin-curious-coder",
        ("curious_coder/linkedin-jobs-scraper",),
        _keys(
            "link companyName companyLinkedinUrl companyLogo salaryInfo postedAt "
            "postedAtTimestamp descriptionHtml descriptionText applyUrl seniorityLevel "
            "employmentType jobFunction industries applicantsCount workplaceTypes "
            "workRemoteAllowed expireAt inputUrl"
        ),
        "linkedin",
        ("id",),
        ("link",),
        linkedin.from_curious_coder,
        linkedin.POSTING_URL,
    ),
    Schema(
        "linkedin-blackfalcon",
        ("blackfalcondata/linkedin-jobs-scraper",),
        _keys(
            "linkedinJobId portalUrl jobId jobUrl company companyUrl companyId postedAt "
            "applyUrl applyType descriptionHtml descriptionMarkdown seniorityLevel "
            "employmentType industry jobFunction workplaceType applicantCount easyApply "
            "salaryMin salaryMax salaryCurrency salaryPeriod salarySource salaryIsPredicted "
            "companyLogo companyDescription companyEmployeeCount companyWebsite companyAddress "
            "recruiterName recruiterUrl recruiterTitle extractedEmails extractedPhones "
            "extractedUrls socialProfiles changeType firstSeenAt lastSeenAt previousSeenAt "
            "expiredAt isRepost repostOfId repostDetectedAt contentHash isPromoted "
            "postingBenefits trackingId scrapedAt"
        ),
        "linkedin",
        ("linkedinJobId",),
        ("jobUrl",),
        linkedin.from_blackfalcon,
        linkedin.POSTING_URL,
    ),
    Schema(
        "indeed-flat",
        ("misceres/indeed-scraper", "hynekhruska/indeed-scraper"),
        _keys(
            "positionName company url rating reviewsCount externalApplyLink postedAt "
            "scrapedAt salary jobType descriptionHTML"
        ),
        "indeed",
        ("id",),
        ("url",),
        indeed.from_flat,
        indeed.POSTING_URL,
    ),
    Schema(
        "indeed-nested",
        ("misceres/indeed-scraper", "borderline/indeed-scraper", "valig/indeed-jobs-scraper"),
        _keys(
            "jobKey jobUrl companyName applyUrl descriptionHtml descriptionText emails "
            "isRemote datePublished jobType salary companyRating companyReviewCount "
            "attributes benefits"
        ),
        "indeed",
        ("jobKey", "id"),
        ("jobUrl", "url"),
        indeed.from_nested,
        indeed.POSTING_URL,
    ),
    Schema(
        "glassdoor",
        ("bebity/glassdoor-jobs-scraper", "falkenbach/glassdoor-scraper"),
        _keys(
            "employerName employerRating jobTitle jobLocation url jobDetails jobDetailsHtml "
            "companyDetails datePosted baseSalary jobLocationType employmentType"
        ),
        "glassdoor",
        ("id", "jobListingId"),
        ("url",),
        glassdoor.from_glassdoor,
        glassdoor.POSTING_URL,
    ),
    Schema(
        "google-jobs",
        ("epctex/google-jobs-scraper",),
        _keys(
            "via jobHighlights applyLink relatedLinks extras metadata companyName "
            "thumbnail detectedExtensions"
        ),
        "google_jobs",
        (),
        (),
        google_jobs.from_google_jobs,
        identify=google_jobs.identity,
    ),
]


def _weights(schemas: Iterable[Schema]) -> dict[str, list[tuple[int, float]]]:
    """key -> [(schema index, weight)]: a key used by n schemas weighs 1/n for each."""
    schemas = list(schemas)
    uses = Counter(k for s in schemas for k in s.evidence)
    out: dict[str, list[tuple[int, float]]] = {}
    for index, schema in enumerate(schemas):
        for key in schema.evidence:
            out.setdefault(key, []).append((index, 1.0 / uses[key]))
    return out


_WEIGHTS = _weights(SCHEMAS)
#: decisions by (actor, hint, the item's keys): the items of one export share their keys
_DECIDED: dict[tuple[Any, ...], Schema | Rejection] = {}
_DECIDED_MAX = 4096
_DECIDED_KEYS = 200


def actor_key(actor: str) -> str:
    """An actor name as ``user/name``, lower case (the API also writes ``user~name``)."""
    return actor.strip().replace("~", "/").lower()


def schemas_for(actor: str) -> list[Schema]:
    """The schemas an actor (or a schema name given as ``--source``) may produce."""
    wanted = actor_key(actor)
    return [s for s in SCHEMAS if wanted in s.actors or wanted == s.name]


def scores(keys: Iterable[str], hint: str | None = None) -> list[float]:
    """Each schema's evidence for an item with ``keys`` (and from actor ``hint``)."""
    totals = [0.0] * len(SCHEMAS)
    for key in keys:
        for index, weight in _WEIGHTS.get(key, ()):
            totals[index] += weight
    if hint:
        for index, schema in enumerate(SCHEMAS):
            if schema in schemas_for(hint):
                totals[index] += ACTOR_EVIDENCE
    return totals


def _suggest(schema: Schema) -> str:
    return schema.actors[0] if schema.actors else schema.name


def _decide(keys: tuple[str, ...], actor: str | None, hint: str | None) -> Schema | Rejection:
    candidates = SCHEMAS
    if actor:
        candidates = schemas_for(actor)
        if not candidates:
            return Rejection(f"unsupported actor {actor!r}")
        if len(candidates) == 1:
            return candidates[0]
    totals = scores(keys, hint)
    ranked = sorted(candidates, key=lambda s: -totals[SCHEMAS.index(s)])
    best, runner = ranked[0], ranked[1] if len(ranked) > 1 else None
    top = totals[SCHEMAS.index(best)]
    second = totals[SCHEMAS.index(runner)] if runner else 0.0
    if actor:  # the user named the actor: only a tie between its shapes is left open
        if top <= 0:
            return Rejection(f"unknown item shape for {actor}")
        if top - second >= MIN_LEAD or second <= 0:
            return best
        return Rejection(f"ambiguous item shape for {actor} (closest: {best.name})")
    if top < MIN_EVIDENCE:
        if top <= 0:
            return Rejection("unknown item shape (no field of a supported actor)")
        return Rejection(
            f"unknown item shape (closest: {best.name}; if it is one, use --source "
            f"{_suggest(best)})"
        )
    if top - second < MIN_LEAD:
        tied = [s.name for s in ranked if top - totals[SCHEMAS.index(s)] < MIN_LEAD]
        return Rejection(
            f"ambiguous item shape ({' or '.join(tied)}; choose one with --source NAME)"
        )
    return best


def choose(
    item: dict[str, Any], actor: str | None = None, hint: str | None = None
) -> Schema | Rejection:
    """The schema for ``item``: ``actor`` (``--source``) restricts the choice to its schemas;
    ``hint`` (the actor of the run, when known) is one more piece of evidence."""
    actor = None if actor in (None, "auto") else actor
    if len(item) > _DECIDED_KEYS:  # no export has that many fields: decide, don't remember
        return _decide(tuple(item), actor, hint)
    key = (actor, hint, *item)
    decided = _DECIDED.get(key)
    if decided is None:
        decided = _decide(tuple(item), actor, hint)
        if len(_DECIDED) >= _DECIDED_MAX:
            _DECIDED.clear()
        _DECIDED[key] = decided
    return decided


@dataclass(frozen=True)
class Identified:
    """An item whose schema and job id are known, not normalized yet."""

    schema: Schema
    identity: Identity

    @property
    def id(self) -> str:
        return self.identity.id


def identify(
    item: Any, actor: str | None = None, hint: str | None = None
) -> Identified | Rejection:
    """The item's schema and job id, without normalizing it (cheap: no text is cleaned)."""
    if not isinstance(item, dict):
        return Rejection("item is not a JSON object")
    schema = choose(item, actor, hint)
    if isinstance(schema, Rejection):
        return schema
    try:
        return Identified(schema, schema.identity(item))
    except NoIdentity as exc:
        return Rejection(f"{schema.name}: {exc}")


def normalize_identified(item: dict[str, Any], found: Identified, now: datetime) -> Job | Rejection:
    """The job of an identified item; never raises for bad items."""
    schema = found.schema
    try:
        job = schema.normalize(item, now, found.identity)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        return Rejection(f"{schema.name}: malformed item ({type(exc).__name__})")
    if not job.title or not job.company:
        return Rejection(f"{schema.name}: missing title or company")
    job.canonical_url = canonical_url(job.job_url)
    text = job.description
    # about as many words; most descriptions have enough spaces in their first few hundred
    # characters (counting all of a long text with a non-Latin-1 character takes 10 us)
    if (
        text.count(" ", 0, _ENOUGH_WORDS_IN) >= MIN_FINGERPRINT_WORDS
        or text.count(" ") + text.count("\n") >= MIN_FINGERPRINT_WORDS
    ):
        job.fingerprint = description_fingerprint(job.company, job.description)
    return job


def normalize(
    item: Any, now: datetime, actor: str | None = None, hint: str | None = None
) -> Job | Rejection:
    """A Job or a Rejection for any input; never raises for bad items."""
    found = identify(item, actor, hint)
    if isinstance(found, Rejection):
        return found
    return normalize_identified(item, found, now)
