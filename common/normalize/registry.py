"""Choosing the normalizer for an item: by actor id when known, else by the item's keys.

An unknown shape is rejected with a reason, never guessed; an item matching two shapes is
rejected as ambiguous.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.domain.job import Job
from common.normalize import glassdoor, google_jobs, indeed, linkedin
from common.normalize.ids import NoIdentity
from common.normalize.text import canonical_url, description_fingerprint

#: a description shorter than this (in words) is too thin to recognize a repost by
MIN_FINGERPRINT_WORDS = 30


@dataclass(frozen=True)
class Rejection:
    """Why an item was not turned into a job."""

    reason: str


Normalizer = Callable[[dict[str, Any], datetime], Job]


@dataclass(frozen=True)
class Schema:
    """One actor's item shape: the actor ids it comes from and keys that identify it."""

    name: str
    actors: tuple[str, ...]
    keys: frozenset[str]
    normalize: Normalizer


SCHEMAS: list[Schema] = [
    Schema(
        "linkedin-bebity",
        ("bebity/linkedin-jobs-scraper",),
        frozenset({"jobUrl", "companyName", "title", "postedTime"}),
        linkedin.from_bebity,
    ),
    Schema(
        "linkedin-curious-coder",
        ("curious_coder/linkedin-jobs-scraper",),
        frozenset({"link", "companyName", "title", "descriptionHtml"}),
        linkedin.from_curious_coder,
    ),
    Schema(
        "indeed-flat",
        ("misceres/indeed-scraper", "hynekhruska/indeed-scraper"),
        frozenset({"positionName", "company", "url"}),
        indeed.from_flat,
    ),
    Schema(
        "indeed-nested",
        ("misceres/indeed-scraper", "borderline/indeed-scraper", "valig/indeed-jobs-scraper"),
        frozenset({"jobKey", "title", "jobUrl"}),
        indeed.from_nested,
    ),
    Schema(
        "glassdoor",
        ("bebity/glassdoor-jobs-scraper", "falkenbach/glassdoor-scraper"),
        frozenset({"employerName", "jobTitle", "url"}),
        glassdoor.from_glassdoor,
    ),
    Schema(
        "google-jobs",
        ("epctex/google-jobs-scraper",),
        frozenset({"title", "companyName", "via"}),
        google_jobs.from_google_jobs,
    ),
]


def actor_key(actor: str) -> str:
    """An actor name as ``user/name``, lower case (the API also writes ``user~name``)."""
    return actor.strip().replace("~", "/").lower()


def schemas_for(actor: str) -> list[Schema]:
    """The schemas an actor (or a schema name given as ``--source``) may produce."""
    wanted = actor_key(actor)
    return [s for s in SCHEMAS if wanted in s.actors or wanted == s.name]


def choose(item: dict[str, Any], actor: str | None = None) -> Schema | Rejection:
    """The schema for ``item``: among the actor's schemas when known, else among all."""
    candidates = SCHEMAS
    if actor and actor != "auto":
        candidates = schemas_for(actor)
        if not candidates:
            return Rejection(f"unsupported actor {actor!r}")
        if len(candidates) == 1:
            return candidates[0]
    keys = set(item)
    matching = [s for s in candidates if s.keys <= keys]
    if len(matching) == 1:
        return matching[0]
    if matching:
        return Rejection("ambiguous item shape (" + ", ".join(s.name for s in matching) + ")")
    return Rejection("unknown item shape")


def normalize(item: Any, now: datetime, actor: str | None = None) -> Job | Rejection:
    """A Job or a Rejection for any input; never raises for bad items."""
    if not isinstance(item, dict):
        return Rejection("item is not a JSON object")
    schema = choose(item, actor)
    if isinstance(schema, Rejection):
        return schema
    try:
        job = schema.normalize(item, now)
    except NoIdentity:
        return Rejection(f"{schema.name}: no id and no job URL")
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        return Rejection(f"{schema.name}: malformed item ({type(exc).__name__})")
    if not job.title or not job.company:
        return Rejection(f"{schema.name}: missing title or company")
    job.canonical_url = canonical_url(job.job_url)
    text = job.description
    if text.count(" ") + text.count("\n") >= MIN_FINGERPRINT_WORDS:  # about as many words
        job.fingerprint = description_fingerprint(job.company, job.description)
    return job
