"""Choosing the normalizer for an item, and the shared job-id rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from common.domain.job import Job
from common.normalize import linkedin
from common.normalize.text import canonical_url, fingerprint


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
]


def _actor_key(actor: str) -> str:
    return actor.replace("~", "/").lower()


def choose(item: dict[str, Any], actor: str | None = None) -> Schema | Rejection:
    """The schema for ``item``: by actor id when known, else by the item's keys."""
    if actor and actor != "auto":
        wanted = _actor_key(actor)
        for schema in SCHEMAS:
            if wanted in schema.actors or wanted == schema.name:
                return schema
        return Rejection(f"unsupported actor {actor!r}")
    keys = set(item)
    for schema in SCHEMAS:
        if schema.keys <= keys:
            return schema
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
    except (KeyError, TypeError, ValueError) as exc:
        return Rejection(f"{schema.name}: malformed item ({type(exc).__name__}: {exc})")
    if not job.title or not job.company:
        return Rejection(f"{schema.name}: missing title or company")
    job.canonical_url = canonical_url(job.job_url)
    job.fingerprint = fingerprint(job.company, job.title, job.description)
    return job
