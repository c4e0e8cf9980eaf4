"""Apify through ``apify-client``: read runs and their datasets page by page.

Retries: apify-client retries 429, 5xx and transport errors itself (4 retries with
exponential backoff); nothing else retries. Its errors are translated here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from common.errors import AuthError, ConfigError, NotFoundError, PermanentError, RetryableError

PAGE = 1000


def _translate(exc: Exception, what: str) -> Exception:
    status = getattr(exc, "status_code", None)
    text = f"apify {what}: {exc}"
    if status == 404:
        return NotFoundError(text)
    if status in (401, 403):
        return AuthError(text)
    if status is None or status == 429 or status >= 500:
        return RetryableError(text)
    return PermanentError(text)


class ApifyRuns:
    """Reads Apify runs and datasets (the scrape service's ``RunReader``)."""

    def __init__(self, token: str | None, api_url: str | None = None, client: Any = None) -> None:
        if client is None:
            if not token:
                raise ConfigError("the Apify token is not set (secret apify-token / APIFY_TOKEN)")
            from apify_client import ApifyClient

            kwargs = {"api_url": api_url} if api_url else {}
            client = ApifyClient(token, **kwargs)
        self.client = client

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        try:
            run = self.client.run(run_id).get()
        except Exception as exc:
            raise _translate(exc, f"get run {run_id}") from exc
        if run is None:
            return None
        return run if isinstance(run, dict) else run.model_dump(by_alias=True, mode="json")

    def iter_items(self, dataset_id: str) -> Iterator[dict[str, Any]]:
        offset = 0
        dataset = self.client.dataset(dataset_id)
        while True:
            try:
                page = dataset.list_items(offset=offset, limit=PAGE)
            except Exception as exc:
                raise _translate(exc, f"dataset {dataset_id} page at {offset}") from exc
            yield from page.items
            if page.count == 0 or len(page.items) < PAGE:
                return
            offset += page.count
