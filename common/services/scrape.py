"""The scrape function's service: Apify webhooks in, scheduled runs out.

* ``POST /webhooks/apify``: authenticate (secret header, constant time, current or previous
  secret), validate the body, then trust only its run id: the run is fetched from the API and
  must exist, belong to an allowed actor and have the status the event claims. Its outcome is
  recorded in ``runs``; a succeeded run (or any finished run with ``apify.ingest_partial``) is
  ingested page by page, once per run and event, and once per ``(run, offset)`` page.
* A dataset too large for one request continues through a message to ``ingest-continue``
  carrying ``{"run_id", "offset"}`` (pushed back to ``POST /tasks/ingest-continue``).
* ``POST /runs`` (Cloud Scheduler): one actor run per configured search, with an ad-hoc
  webhook back to us (carrying this run's trace); one schedule tick starts each search once
  even if Scheduler retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from common import tracing
from common.clock import iso, parse_iso
from common.domain.preferences import Search
from common.errors import (
    AuthError,
    ConfigError,
    ConflictError,
    NotFoundError,
    PermanentError,
    RetryableError,
    ValidationError,
)
from common.events import INGEST_CONTINUE
from common.jsonsafe import loads
from common.logging import get_logger
from common.ports import Clock, DocumentStore, MessageBus, ScraperApi, Secrets
from common.services.ingest import IngestReport, ingest_items
from common.settings import Apify
from common.store.collections import CLAIMS, RUNS
from common.store.lease import ClaimState, claim, complete, expires, release

log = get_logger("scrape")

SECRET_HEADER = "X-Autoapply-Webhook-Secret"
#: the webhook secret, and the one it replaced (accepted during a rotation)
WEBHOOK_SECRETS = ("apify-webhook-secret", "apify-webhook-secret-previous")
SECRET, PREVIOUS_SECRET = WEBHOOK_SECRETS
#: webhook event type -> run statuses the API may report for it
RUN_EVENTS: dict[str, tuple[str, ...]] = {
    "ACTOR.RUN.SUCCEEDED": ("SUCCEEDED",),
    "ACTOR.RUN.FAILED": ("FAILED",),
    "ACTOR.RUN.ABORTED": ("ABORTED", "ABORTING"),
    "ACTOR.RUN.TIMED_OUT": ("TIMED-OUT", "TIMING-OUT"),
}
SUCCEEDED = "ACTOR.RUN.SUCCEEDED"
_RUN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
RUN_LEASE = timedelta(minutes=5)
START_LEASE = timedelta(minutes=2)
#: the least time a dataset page read gets (retries included), whatever the time budget
MIN_PAGE_SECONDS = 5.0


@dataclass
class ScrapeContext:
    """What the scrape service works with (ports, the API, the settings it needs).

    ``make_api`` builds the API adapter on first use: a TEST delivery or a bad secret never
    needs the Apify token.
    """

    store: DocumentStore
    bus: MessageBus
    clock: Clock
    make_api: Callable[[], ScraperApi]
    config: Apify
    searches: list[Search]
    _api: ScraperApi | None = None

    @property
    def api(self) -> ScraperApi:
        """The scraper API adapter."""
        if self._api is None:
            self._api = self.make_api()
        return self._api


def authenticate(header: str | None, secrets: Secrets) -> None:
    """Constant-time check of the webhook secret (the current one or the previous one)."""
    candidates = [s for s in (secrets.get(SECRET), secrets.get(PREVIOUS_SECRET)) if s]
    if not candidates:
        raise AuthError(f"the webhook secret is not configured (secret {SECRET})")
    given = (header or "").encode()
    matches = [hmac.compare_digest(given, s.encode()) for s in candidates]  # compare with all
    if not any(matches):
        raise AuthError(f"missing or wrong {SECRET_HEADER} header")


def _require_str(data: dict[str, Any], path: str) -> str:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, str) or not node.strip() or len(node) > 200:
        raise ValidationError(f"{path}: expected a non-empty string", field=path)
    return node.strip()


def parse_webhook(body: bytes, max_bytes: int) -> dict[str, Any]:
    """Validate an Apify webhook body; the error names what is wrong."""
    if len(body) > max_bytes:
        raise ValidationError(f"body: larger than {max_bytes} bytes", field="body")
    data = loads(body, "body")
    if not isinstance(data, dict):
        raise ValidationError("body: expected a JSON object", field="body")
    _require_str(data, "eventType")
    if data["eventType"] in RUN_EVENTS:
        _require_run_id(_require_str(data, "eventData.actorRunId"), "eventData.actorRunId")
    return data


def _require_run_id(value: Any, field: str) -> str:
    """An Apify run id (letters, digits, ``-`` and ``_``): it becomes a document id."""
    if not isinstance(value, str) or not _RUN_ID.fullmatch(value):
        raise ValidationError(f"{field}: expected an Apify run id", field=field)
    return value


def _key(*parts: str) -> str:
    """A claim key: readable prefix plus a hash (any text, no '/')."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"{parts[0]}:{digest}"


def actor_allowed(run: dict[str, Any], ctx: ScrapeContext) -> bool:
    """Whether the run's opaque ``actId`` is one of ours: listed in ``apify.actor_ids``,
    recorded when POST /runs started it, or the id the API gives a configured search's actor."""
    act = run.get("actId")
    if not isinstance(act, str) or not act:
        return False
    if act in ctx.config.actor_ids or any(s.actor == act for s in ctx.searches):
        return True
    recorded = ctx.store.get(RUNS, str(run.get("id")))
    if recorded and recorded.get("actor_id") == act:
        return True
    return any(ctx.api.actor_id(s.actor) == act for s in ctx.searches)


def search_actor(run: dict[str, Any], ctx: ScrapeContext) -> str | None:
    """The ``user/name`` of the configured search an allowed run belongs to, when known (its
    items' shapes then are): a search naming the ``actId`` itself, the actor POST /runs
    recorded, or the search whose actor the API gives that id (looked up already by
    :func:`actor_allowed` unless the id is listed in ``apify.actor_ids``)."""
    act = run.get("actId")
    for search in ctx.searches:
        if search.actor == act:
            return search.actor
    recorded = ctx.store.get(RUNS, str(run.get("id"))) or {}
    if recorded.get("actor_id") == act and isinstance(recorded.get("actor"), str):
        return str(recorded["actor"])
    if act not in ctx.config.actor_ids:
        for search in ctx.searches:
            if ctx.api.actor_id(search.actor) == act:
                return search.actor
    return None


def _finished_at(run: dict[str, Any], ctx: ScrapeContext) -> datetime:
    try:
        return parse_iso(str(run["finishedAt"]))
    except (KeyError, ValueError):
        return ctx.clock.now()


def _record_run(ctx: ScrapeContext, run_id: str, fields: dict[str, Any]) -> None:
    now = iso(ctx.clock.now())
    ctx.store.transact(
        RUNS, run_id, lambda cur: {**(cur or {"created_at": now}), **fields, "updated_at": now}
    )


def _add_counts(ctx: ScrapeContext, run_id: str, report: IngestReport) -> None:
    def step(cur: dict[str, Any] | None) -> dict[str, Any]:
        cur = dict(cur or {})
        counts = dict(cur.get("counts") or {})
        for name in ("received", "inserted", "duplicates"):
            counts[name] = int(counts.get(name, 0)) + getattr(report, name)
        rejected = dict(counts.get("rejected") or {})
        for reason, n in report.rejected.items():
            rejected[reason] = int(rejected.get(reason, 0)) + n
        counts["rejected"] = rejected
        return {**cur, "counts": counts}

    ctx.store.transact(RUNS, run_id, step)


def _continue(ctx: ScrapeContext, run_id: str, offset: int) -> None:
    """Hand the rest of the dataset to a message, unless a delivery already did (a marker
    written after publishing: a crash in between publishes twice, which pages absorb)."""
    marker = _key("apify-continue", run_id, str(offset))
    if ctx.store.get(CLAIMS, marker) is None:
        ctx.bus.publish(INGEST_CONTINUE, {"run_id": run_id, "offset": offset})
        marked = {"run_id": run_id, "offset": offset, "expires_at": expires(ctx.clock.now())}
        ctx.store.create(CLAIMS, marker, marked)
    _record_run(ctx, run_id, {"ingest": "continuing", "next_offset": offset})


def _page_budget(ctx: ScrapeContext) -> float:
    """How long one page read may take, retries included: the time budget (at least a few
    seconds, so a budget of 0, "one page per request", can still read its page)."""
    return max(ctx.config.time_budget_seconds, MIN_PAGE_SECONDS)


def ingest_pages(
    ctx: ScrapeContext,
    run_id: str,
    dataset_id: str,
    offset: int,
    finished: datetime,
    actor: str | None = None,
) -> dict[str, Any]:
    """Ingest the dataset from ``offset`` page by page (each page once), until the end or
    the time budget; then continue through a message to ``ingest-continue``. ``actor``
    (the run's search actor, when known) is evidence for its item shapes."""
    started = time.monotonic()
    report = IngestReport()
    first = True
    next_offset: int | None = offset
    while next_offset is not None:
        if not first and time.monotonic() - started >= ctx.config.time_budget_seconds:
            _continue(ctx, run_id, next_offset)
            return {"status": "continuing", "next_offset": next_offset, **report.to_dict()}
        first = False
        key, owner = _key("apify-page", run_id, str(next_offset)), uuid.uuid4().hex
        taken = claim(ctx.store, key, owner, ctx.clock.now(), RUN_LEASE)
        if taken.state is ClaimState.DONE:
            next_offset = (taken.record.get("result") or {}).get("next_offset")
            continue
        if taken.state is ClaimState.BUSY:
            raise ConflictError(f"run {run_id} page {next_offset} is being ingested")
        try:
            page = ctx.api.read_page(
                dataset_id, next_offset, ctx.config.page_size, within=_page_budget(ctx)
            )
            part = ingest_items(
                page.items,
                store=ctx.store,
                bus=ctx.bus,
                now=finished,
                hint=actor,
                run_id=run_id,
                resume=int(taken.record.get("attempts", 1)) > 1,
                claim=key,
                claimed_at=ctx.clock.now(),
            )
        except BaseException:
            release(ctx.store, key, owner)
            raise
        complete(ctx.store, key, owner, ctx.clock.now(), {"next_offset": page.next_offset})
        _add_counts(ctx, run_id, part)
        report.merge(part)
        next_offset = page.next_offset
    _record_run(ctx, run_id, {"ingest": "done", "next_offset": None})
    return {"status": "ingested", **report.to_dict()}


def handle_webhook(data: dict[str, Any], ctx: ScrapeContext) -> dict[str, Any]:
    """Act on a validated webhook body: record the run's outcome and ingest it once."""
    event = data["eventType"]
    if event == "TEST":
        return {"status": "test"}
    if event not in RUN_EVENTS:
        return {"status": "ignored", "eventType": event}
    run_id = _require_str(data, "eventData.actorRunId")
    run = ctx.api.get_run(run_id)
    if run is None:
        raise NotFoundError(f"run {run_id} is unknown to the Apify API", field="actorRunId")
    if not actor_allowed(run, ctx):
        raise ValidationError(
            f"run {run_id} belongs to actor {run.get('actId')!r}, which no configured search "
            "uses (add it to apify.actor_ids if it is yours)",
            field="actorRunId",
        )
    status = str(run.get("status"))
    if status not in RUN_EVENTS[event]:
        raise ConflictError(f"run {run_id} has status {status}, the webhook says {event}")
    finished = _finished_at(run, ctx)
    dataset_id = run.get("defaultDatasetId")
    actor = search_actor(run, ctx)
    _record_run(
        ctx,
        run_id,
        {
            **({"actor": actor} if actor else {}),
            "actor_id": run.get("actId"),
            "status": status,
            "status_message": run.get("statusMessage"),
            "finished_at": iso(finished),
            "dataset_id": dataset_id,
        },
    )
    if event != SUCCEEDED and not ctx.config.ingest_partial:
        return {"status": "recorded", "run_status": status}
    if not isinstance(dataset_id, str) or not dataset_id:
        raise ValidationError(f"run {run_id} has no default dataset", field="defaultDatasetId")
    key, owner = _key("apify-run", run_id, event), uuid.uuid4().hex
    taken = claim(ctx.store, key, owner, ctx.clock.now(), RUN_LEASE)
    if taken.state is ClaimState.DONE:
        return {"status": "duplicate", "run_id": run_id}
    if taken.state is ClaimState.BUSY:
        raise ConflictError(f"run {run_id} is being ingested by another delivery")
    try:
        result = ingest_pages(ctx, run_id, dataset_id, 0, finished, actor)
    except BaseException:
        release(ctx.store, key, owner)
        raise
    complete(ctx.store, key, owner, ctx.clock.now(), {"status": result["status"]})
    return {"run_id": run_id, "run_status": status, **result}


def handle_continue(message: dict[str, Any], ctx: ScrapeContext) -> dict[str, Any]:
    """``ingest-continue``: go on with a run's dataset from ``offset``. Only runs this
    deployment recorded are continued; pages already done are skipped."""
    run_id, offset = _require_run_id(message.get("run_id"), "run_id"), message.get("offset")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise ValidationError("message: expected 'offset' as an integer >= 0", field="offset")
    run = ctx.store.get(RUNS, run_id)
    if not run or not run.get("dataset_id"):
        raise NotFoundError(f"run {run_id} was never recorded by a webhook", field="run_id")
    finished = parse_iso(run["finished_at"]) if run.get("finished_at") else ctx.clock.now()
    actor = run.get("actor") if isinstance(run.get("actor"), str) else None
    result = ingest_pages(ctx, run_id, run["dataset_id"], offset, finished, actor)
    return {"run_id": run_id, **result}


def _webhook_spec(url: str, secret: str, idempotency_key: str) -> dict[str, Any]:
    """The ad-hoc webhook of a run: our secret header, and the scheduled run's trace, so the
    webhook's ingestion continues the journey this run started."""
    headers = {SECRET_HEADER: secret}
    trace = tracing.current()
    if trace:
        headers[tracing.TRACE_HEADER] = trace
    return {
        "event_types": list(RUN_EVENTS),
        "request_url": url,
        "headers_template": json.dumps(headers),
        "idempotency_key": idempotency_key,
    }


def start_runs(
    ctx: ScrapeContext,
    secrets: Secrets,
    schedule_time: str | None,
    job_name: str | None,
    webhook_url: str | None,
) -> dict[str, Any]:
    """Start one run per configured search, once per schedule tick, each with an ad-hoc
    webhook to ``webhook_url`` (the setting ``apify.webhook_url``; never derived from a
    request, since the webhook carries the secret header).

    The tick is ``X-CloudScheduler-ScheduleTime`` (the same on Scheduler's retries) with the
    job name; without it (a manual call) the current minute. A search that failed with a
    passing error is retried on the next delivery (503); one refused for good is recorded
    and not retried for that tick.
    """
    if not webhook_url:
        raise ConfigError(
            "apify.webhook_url is not set: set AUTOAPPLY_APIFY_WEBHOOK_URL (or apify.webhook_url "
            "in autoapply.yaml) to the public URL of POST /webhooks/apify; no run was started",
            field="apify.webhook_url",
        )
    secret = secrets.get(SECRET)
    if not secret:
        raise ConfigError(f"the webhook secret is not configured (secret {SECRET})")
    now = ctx.clock.now()
    tick = (schedule_time or "").strip()[:64] or now.strftime("manual-%Y-%m-%dT%H:%M")
    job = (job_name or "").strip()[:200] or "manual"
    results: dict[str, Any] = {}
    retry = False
    options = ctx.config.model_dump(
        include={"max_items", "max_total_charge_usd", "run_timeout_secs", "memory_mbytes"}
    )
    for search in ctx.searches:
        key, owner = _key("schedule", job, tick, search.name), uuid.uuid4().hex
        taken = claim(ctx.store, key, owner, now, START_LEASE)
        if taken.state is not ClaimState.ACQUIRED:
            retry |= taken.state is ClaimState.BUSY
            earlier = taken.record.get("result") or {}
            results[search.name] = {"status": taken.state.value, "earlier": earlier}
            continue
        hook = _webhook_spec(webhook_url, secret, key)
        results[search.name] = _start_one(ctx, search, hook, key, owner, tick, options)
        retry |= results[search.name]["status"] == "retry"
    if retry:
        raise RetryableError(f"some searches did not start yet: {json.dumps(results)}")
    return {"tick": tick, "searches": results}


def _start_one(
    ctx: ScrapeContext,
    search: Search,
    hook: dict[str, Any],
    key: str,
    owner: str,
    tick: str,
    options: dict[str, Any],
) -> dict[str, Any]:
    try:
        run = ctx.api.start_run(search.actor, search.input, webhooks=[hook], options=options)
    except RetryableError as exc:
        release(ctx.store, key, owner)
        log.warning("search %s: start failed, will retry: %s", search.name, exc)
        return {"status": "retry", "error": exc.message}
    except PermanentError as exc:
        log.error("search %s: start refused: %s", search.name, exc)
        complete(
            ctx.store, key, owner, ctx.clock.now(), {"status": "refused", "error": exc.message}
        )
        return {"status": "refused", "error": exc.message}
    run_id = str(run.get("id"))
    _record_run(
        ctx,
        run_id,
        {
            "search": search.name,
            "actor": search.actor,
            "actor_id": run.get("actId"),
            "status": run.get("status"),
            "tick": tick,
            "started_at": run.get("startedAt"),
        },
    )
    complete(ctx.store, key, owner, ctx.clock.now(), {"status": "started", "run_id": run_id})
    return {"status": "started", "run_id": run_id}
