"""The guard over real stores and a real HTTP service: shared breakers, audit, retry."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer

from common.errors import CircuitOpen, ConflictError, PermanentError, RetryableError
from common.resilience.guard import Guard
from common.settings import Breaker, Resilience, Retry
from common.store.collections import AUDIT, BREAKERS
from tests.helpers.clock import FakeClock
from tests.helpers.emulators import require_official_firestore
from tests.helpers.fake_service import ITEM_PATH, ItemClient, ItemService
from tests.helpers.stores import second_client

SETTINGS = Resilience(
    breaker=Breaker(window_seconds=60, min_calls=3, failure_rate=0.5, open_seconds=30),
    retry=Retry(max_attempts=3, initial_wait=1, max_wait=4),
)


def fail() -> None:
    raise RetryableError("503 from the service")


def test_breaker_state_is_shared_by_two_store_clients(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    first = Guard(store, clock, SETTINGS)
    other = Guard(second_client(store), clock, SETTINGS)  # another function instance
    for _ in range(3):
        with pytest.raises(RetryableError):
            first.call("gemini", "generate", fail)
    with pytest.raises(CircuitOpen) as refused:
        other.call("gemini", "generate", lambda: "never called")
    assert refused.value.retry_after == 30
    assert other.breaker.get("gemini")["state"] == "open"  # type: ignore[union-attr]

    clock.advance(seconds=31)  # half-open: one trial for the two instances
    with first.attempt("gemini", "generate"), pytest.raises(CircuitOpen):
        other.call("gemini", "generate", lambda: "refused while the trial runs")
    assert other.call("gemini", "generate", lambda: "closed again") == "closed again"
    assert store.get(BREAKERS, "apify") is None  # one breaker per service


def test_business_errors_never_open_the_breaker(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    guard = Guard(store, clock, SETTINGS)
    for _ in range(10):
        with pytest.raises(PermanentError):
            guard.call("gmail", "send", lambda: (_ for _ in ()).throw(PermanentError("400")))
    assert guard.breaker.get("gmail")["state"] == "closed"  # type: ignore[union-attr]


def test_every_attempt_is_audited_without_secrets(sqlite_store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    guard = Guard(sqlite_store, clock, SETTINGS, sleep=lambda s: clock.advance(seconds=s))
    secret = "sk-test-SECRET-value-123"
    tries = iter([RetryableError(f"503 token={secret}"), None])

    def call() -> str:
        error = next(tries)
        if error:
            raise error
        return "ok"

    assert guard.call("apify", "get_run", call, ids={"run_id": "r1"}, retry=True) == "ok"
    docs = [d for _, d in sqlite_store.query(AUDIT)]
    assert sorted(d["outcome"] for d in docs) == ["failure", "success"]
    assert {d["error_type"] for d in docs if "error_type" in d} == {"RetryableError"}
    assert all(d["ids"] == {"run_id": ["r1"]} and d["service"] == "apify" for d in docs)
    assert all(d["expires_at"] > d["at"] for d in docs)
    assert secret not in repr(docs)


def test_refused_call_is_audited(sqlite_store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    guard = Guard(sqlite_store, clock, SETTINGS)
    for _ in range(3):
        with pytest.raises(RetryableError):
            guard.call("gemini", "generate", fail)
    with pytest.raises(CircuitOpen):
        guard.call("gemini", "generate", fail, ids={"job_id": "j1"})
    outcomes = [d["outcome"] for _, d in sqlite_store.query(AUDIT, order_by="at")]
    assert outcomes.count("circuit_open") == 1 and outcomes.count("failure") == 3


def test_retry_after_from_a_real_http_answer(
    httpserver: HTTPServer, sqlite_store, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    service = ItemService(clock, down_until=clock.now() + timedelta(seconds=12), retry_after=7)
    httpserver.expect_request(ITEM_PATH, method="POST").respond_with_handler(service.handle)
    client = ItemClient(httpserver.url_for("/"), clock)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds=seconds)

    guard = Guard(sqlite_store, clock, SETTINGS, sleep=sleep)
    start = clock.now()
    assert guard.call("items", "process", lambda: client.process("i1"), retry=True) == {"id": "i1"}
    assert waits == [7, 7]  # Retry-After: 7, twice; never the jittered backoff
    assert clock.now() - start == timedelta(seconds=14)
    assert [status for _, status in service.calls] == [503, 503, 200]


def test_retry_info_in_the_body_wins_over_the_header(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    body = (
        '{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":'
        '"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}}'
    )
    httpserver.expect_ordered_request("/items/i2", method="POST").respond_with_data(
        body, status=429, headers={"Retry-After": "1"}, content_type="application/json"
    )
    httpserver.expect_ordered_request("/items/i2", method="POST").respond_with_json({"id": "i2"})
    waits: list[float] = []
    guard = Guard.off(clock)
    guard.sleep = waits.append
    client = ItemClient(httpserver.url_for("/"), clock)
    assert guard.call("gemini", "generate", lambda: client.process("i2"), retry=True)
    assert waits == [26]


def test_half_open_admits_one_trial_among_concurrent_instances(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    from common.adapters.store_sqlite import SqliteStore

    if not isinstance(store, SqliteStore):
        require_official_firestore("needs transaction conflicts")
    opener = Guard(store, clock, SETTINGS)
    for _ in range(3):
        with pytest.raises(RetryableError):
            opener.call("gemini", "generate", fail)
    clock.advance(seconds=31)
    instances = [Guard(second_client(store), clock, SETTINGS).breaker for _ in range(4)]

    def try_admit(breaker) -> str:  # type: ignore[no-untyped-def]
        for attempt in range(10):  # a contention give-up is retryable: the message comes back
            try:
                breaker.before("gemini")
            except CircuitOpen:
                return "refused"
            except ConflictError:
                time.sleep(0.05 * (attempt + 1))
                continue
            return "trial"
        return "gave up"

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(try_admit, instances))
    assert sorted(results) == ["refused", "refused", "refused", "trial"]
