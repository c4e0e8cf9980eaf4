"""The job-id rule shared by every normalizer."""

from __future__ import annotations

import hashlib

from common.normalize.text import canonical_url


class NoIdentity(ValueError):
    """An item has neither a source id nor a usable URL."""


def job_id(source: str, source_id: str | None, url: str | None) -> str:
    """A deterministic job id: the same posting always gets the same id.

    Raises ValueError when there is neither a source id nor a usable URL to build it from.
    """
    basis = f"{source}:{source_id}" if source_id else (canonical_url(url) or "")
    if not basis:
        raise NoIdentity("no id and no usable URL to identify the posting")
    return hashlib.sha256(basis.encode()).hexdigest()[:20]
