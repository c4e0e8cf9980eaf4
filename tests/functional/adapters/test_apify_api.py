"""The Apify adapter driven through the real apify-client against the fake Apify server."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from common.adapters.apify_api import ApifyRuns
from common.errors import AuthError, NotFoundError, PermanentError, RetryableError
from tests.helpers.fake_apify import FakeApify

ACTOR = "bebity/linkedin-jobs-scraper"


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    server = FakeApify().start()
    yield server
    server.stop()


@pytest.fixture
def api(fake: FakeApify) -> ApifyRuns:
    return ApifyRuns(fake.token, api_url=fake.url, min_retry_delay=timedelta(milliseconds=5))


def test_run_and_pages(fake: FakeApify, api: ApifyRuns) -> None:
    run = fake.add_run("run-1", ACTOR, [{"n": i} for i in range(2345)])
    got = api.get_run("run-1")
    assert got is not None
    assert (got["id"], got["actId"], got["status"]) == ("run-1", run["actId"], "SUCCEEDED")
    dataset = got["defaultDatasetId"]
    page = api.read_page(dataset, 1000, 1000)
    assert (len(page.items), page.total, page.next_offset) == (1000, 2345, 2000)
    last = api.read_page(dataset, 2000, 1000)
    assert (len(last.items), last.next_offset) == (345, None)
    seen, offset = [], 0
    while offset is not None:
        page = api.read_page(dataset, offset, 1000)
        seen += [i["n"] for i in page.items]
        offset = page.next_offset
    assert seen == list(range(2345))
    assert fake.page_reads(dataset)[-3:] == [
        "offset=0&limit=1000",
        "offset=1000&limit=1000",
        "offset=2000&limit=1000",
    ]


def test_unknown_run_and_missing_dataset(fake: FakeApify, api: ApifyRuns) -> None:
    assert api.get_run("nope") is None
    with pytest.raises(NotFoundError, match="dataset gone page at 0"):
        api.read_page("gone", 0, 10)


def test_429_and_5xx_are_retried_by_the_client(fake: FakeApify, api: ApifyRuns) -> None:
    fake.add_run("run-1", ACTOR, [{"n": 1}])
    fake.fail_next("/v2/actor-runs", 429)
    fake.fail_next("/v2/actor-runs", 503)
    run = api.get_run("run-1")
    assert run is not None and run["id"] == "run-1"
    fake.fail_next("/v2/datasets", 500, times=10)  # beyond the client's retries
    with pytest.raises(RetryableError, match="page at 0"):
        api.read_page(run["defaultDatasetId"], 0, 10)


def test_bad_token_is_an_auth_error(fake: FakeApify) -> None:
    fake.add_run("run-1", ACTOR, [])
    with pytest.raises(AuthError):
        ApifyRuns("wrong", api_url=fake.url).get_run("run-1")


def test_actor_ids_are_resolved_once(fake: FakeApify, api: ApifyRuns) -> None:
    actor_id = fake.add_actor(ACTOR)
    assert api.actor_id(ACTOR) == actor_id
    assert api.actor_id("bebity~linkedin-jobs-scraper") == actor_id
    assert api.actor_id("nobody/nothing") is None
    reads = [p for p, _ in fake.requests if p.startswith("/v2/actors/")]
    assert reads == ["/v2/actors/bebity~linkedin-jobs-scraper", "/v2/actors/nobody~nothing"]


def test_start_with_ad_hoc_webhook(fake: FakeApify, api: ApifyRuns) -> None:
    fake.add_actor(ACTOR)
    hook = {
        "event_types": ["ACTOR.RUN.SUCCEEDED"],
        "request_url": "https://fn.example/webhooks/apify",
        "headers_template": json.dumps({"X-Autoapply-Webhook-Secret": "s3cret"}),
        "idempotency_key": "tick-1",
    }
    options = {"max_items": 50, "max_total_charge_usd": 1.5, "run_timeout_secs": 600}
    run = api.start_run(ACTOR, {"rows": 50}, webhooks=[hook], options=options)
    assert run["status"] == "RUNNING"
    (started,) = fake.started
    assert started["input"] == {"rows": 50}
    assert started["query"] == {"maxItems": "50", "maxTotalChargeUsd": "1.5", "timeout": "600"}
    (sent,) = started["webhooks"]
    assert sent["requestUrl"] == "https://fn.example/webhooks/apify"
    assert json.loads(sent["headersTemplate"]) == {"X-Autoapply-Webhook-Secret": "s3cret"}
    with pytest.raises(NotFoundError):
        api.start_run("nobody/nothing", {}, webhooks=[], options={})


def test_other_4xx_is_permanent(fake: FakeApify, api: ApifyRuns) -> None:
    fake.add_run("run-1", ACTOR, [])
    fake.fail_next("/v2/actor-runs", 400)
    with pytest.raises(PermanentError) as info:
        api.get_run("run-1")
    assert not info.value.retryable


def test_an_apify_outage_opens_the_shared_breaker(fake: FakeApify, sqlite_store, clock) -> None:  # type: ignore[no-untyped-def]
    """Calls run under the guard: failures after the client's own retries count against the
    breaker, which then refuses calls (the work waits) until a trial succeeds."""
    from common.errors import CircuitOpen
    from common.resilience.guard import Guard
    from common.settings import Breaker, Resilience
    from common.store.collections import AUDIT

    settings = Resilience(breaker=Breaker(min_calls=2, failure_rate=0.5, open_seconds=30))
    guard = Guard(sqlite_store, clock, settings)
    api = ApifyRuns(
        fake.token, api_url=fake.url, min_retry_delay=timedelta(milliseconds=5), guard=guard
    )
    fake.add_run("run-1", ACTOR, [{"n": 1}])
    fake.fail_next("/v2/actor-runs", 503, times=10)  # more than the client retries, twice
    for _ in range(2):
        with pytest.raises(RetryableError):
            api.get_run("run-1")
    with pytest.raises(CircuitOpen):
        api.get_run("run-1")  # refused without a call
    fake.failures.clear()
    clock.advance(seconds=31)
    assert api.get_run("run-1") is not None  # the half-open trial succeeds and closes it
    outcomes = sorted(doc["outcome"] for _, doc in sqlite_store.query(AUDIT))
    assert outcomes == ["circuit_open", "failure", "failure", "success"]


def test_a_stalled_dataset_page_gives_up_within_its_time_budget(
    fake: FakeApify, api: ApifyRuns
) -> None:
    """apify-client's defaults would wait 360 s per attempt and retry 4 times: a page read
    is bounded by the time it is given (the function's apify.time_budget_seconds)."""
    import time

    run = fake.add_run("run-1", ACTOR, [{"n": i} for i in range(5)])
    fake.delay_next("/v2/datasets", 30, times=20)
    started = time.monotonic()
    with pytest.raises(RetryableError, match="page at 0"):
        api.read_page(run["defaultDatasetId"], 0, 10, within=2.0)
    assert time.monotonic() - started < 6  # 2 s budget; generous slack for a busy machine
    assert 1 <= len(fake.page_reads(run["defaultDatasetId"])) <= 3


def test_one_slow_answer_is_retried_within_the_budget(fake: FakeApify, api: ApifyRuns) -> None:
    run = fake.add_run("run-1", ACTOR, [{"n": i} for i in range(5)])
    fake.delay_next("/v2/datasets", 30)  # the first attempt stalls; the second answers
    page = api.read_page(run["defaultDatasetId"], 0, 10, within=6.0)
    assert len(page.items) == 5
    assert len(fake.page_reads(run["defaultDatasetId"])) == 2
