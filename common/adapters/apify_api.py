"""Apify through ``apify-client``: runs, dataset pages, actor ids and starting runs.

Retries: apify-client retries 429, 5xx and transport errors itself (4 retries with
exponential backoff from 0.5 s) for runs and actors. Dataset pages are the exception: the
client's defaults (a 360 s timeout per attempt, doubling, and 4 retries) would outlast the
function's time budget, so pages are read by a second client with no retries of its own,
each attempt timed out at half the time left, under the one retry policy
(:func:`common.resilience.retry.call_with_retry`) bounded by the page's ``within`` seconds.
Each attempt runs under the shared circuit breaker and audit trail
(:class:`common.resilience.guard.Guard`). Errors are translated at this edge: 404 ->
NotFoundError, 401/403 -> AuthError, 429/5xx/transport/timeout -> RetryableError, any other
4xx -> PermanentError.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from common.errors import AuthError, ConfigError, NotFoundError, PermanentError, RetryableError
from common.ports import DatasetPage, Doc
from common.resilience.guard import Guard

PAGE = 1000
#: a page read's bound when the caller gives none (the client's "medium" tier)
PAGE_SECONDS = 30.0


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


def _plain(model: Any) -> Doc:
    """A client model (or dict) as the API's JSON (camelCase field names)."""
    if isinstance(model, dict):
        return model
    return model.model_dump(by_alias=True, mode="json", exclude_none=True)


class ApifyRuns:
    """:class:`common.ports.ScraperApi` on the Apify API."""

    def __init__(
        self,
        token: str | None,
        api_url: str | None = None,
        *,
        min_retry_delay: timedelta | None = None,
        client: Any = None,
        pages: Any = None,
        guard: Guard | None = None,
    ) -> None:
        self.guard = guard or Guard.off()
        if client is None:
            if not token:
                raise ConfigError("the Apify token is not set (secret apify-token / APIFY_TOKEN)")
            from apify_client import ApifyClient

            kwargs: dict[str, Any] = {"api_url": api_url} if api_url else {}
            if min_retry_delay is not None:
                kwargs["min_delay_between_retries"] = min_retry_delay
            client = ApifyClient(token, **kwargs)
            pages = ApifyClient(token, max_retries=0, **kwargs)
        self.client = client
        self.pages = pages or client  # dataset reads: no client retries (see the module doc)
        self._actor_ids: dict[str, str | None] = {}

    def _call(
        self,
        operation: str,
        what: str,
        fn: Callable[[], Any],
        *,
        deadline: float | None = None,
    ) -> Any:
        """One API call, its errors translated inside the guard (breaker + audit); with a
        ``deadline`` (``time.monotonic()``) retried by the retry policy until then."""

        def once() -> Any:
            try:
                return fn()
            except Exception as exc:
                raise _translate(exc, what) from exc

        if deadline is None:
            return self.guard.call("apify", operation, once)
        return self.guard.call("apify", operation, once, retry=True, deadline=deadline)

    def get_run(self, run_id: str) -> Doc | None:
        run = self._call("runs.get", f"get run {run_id}", self.client.run(run_id).get)
        return None if run is None else _plain(run)

    def read_page(
        self, dataset_id: str, offset: int, limit: int = PAGE, *, within: float | None = None
    ) -> DatasetPage:
        """One page, retries included, within ``within`` seconds (default PAGE_SECONDS)."""
        deadline = time.monotonic() + (within or PAGE_SECONDS)
        what = f"dataset {dataset_id} page at {offset}"

        def attempt() -> Any:
            left = deadline - time.monotonic()
            if left <= 0.05:
                raise RetryableError(f"{what}: no time left in the page's time budget")
            timeout = timedelta(seconds=max(0.05, left / 2))  # half: room for one retry
            return self.pages.dataset(dataset_id).list_items(
                offset=offset, limit=limit, timeout=timeout
            )

        page = self._call("datasets.items", what, attempt, deadline=deadline)
        return DatasetPage(items=list(page.items), offset=offset, total=int(page.total))

    def actor_id(self, actor: str) -> str | None:
        key = actor.strip().replace("/", "~")
        if key not in self._actor_ids:
            found = self._call("actors.get", f"get actor {actor}", self.client.actor(key).get)
            self._actor_ids[key] = None if found is None else str(_plain(found).get("id"))
        return self._actor_ids[key]

    def start_run(
        self, actor: str, run_input: Doc, *, webhooks: list[Doc], options: Mapping[str, Any]
    ) -> Doc:
        """``options``: max_items, max_total_charge_usd, run_timeout_secs, memory_mbytes."""
        charge = options.get("max_total_charge_usd")
        timeout = options.get("run_timeout_secs")
        run = self._call(
            "actors.start",
            f"start {actor}",
            lambda: self.client.actor(actor.strip().replace("/", "~")).start(
                run_input=run_input,
                max_items=options.get("max_items"),
                max_total_charge_usd=Decimal(str(charge)) if charge else None,
                run_timeout=timedelta(seconds=timeout) if timeout else None,
                memory_mbytes=options.get("memory_mbytes"),
                webhooks=webhooks,
            ),
        )
        return _plain(run)
