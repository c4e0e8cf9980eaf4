"""The one retry policy: bounded, jittered, honouring Retry-After / RetryInfo."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from common.errors import CircuitOpen, PermanentError, RetryableError
from common.resilience.retry import (
    call_with_retry,
    retry_after_from_error_body,
    retry_after_from_headers,
)
from common.settings import Retry
from tests.helpers.clock import FakeClock


class Flaky:
    """Fails with the given errors, then answers "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def sleeper(clock: FakeClock) -> tuple[list[float], object]:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds=seconds)

    return waits, sleep


def test_retry_after_header_seconds_and_date(clock: FakeClock) -> None:
    assert retry_after_from_headers({"Retry-After": "26"}, clock.now()) == 26
    later = (clock.now() + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert retry_after_from_headers({"retry-after": later}, clock.now()) == 90
    assert retry_after_from_headers({"Retry-After": "soon"}, clock.now()) is None
    assert retry_after_from_headers({}, clock.now()) is None


def test_retry_info_from_google_error_body() -> None:
    body = {
        "error": {
            "code": 429,
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {"@type": "type.googleapis.com/google.rpc.QuotaFailure"},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s"},
            ],
        }
    }
    assert retry_after_from_error_body(body) == 26
    assert retry_after_from_error_body({"error": {"details": []}}) is None
    assert retry_after_from_error_body("not json") is None


def test_retry_after_replaces_backoff_measured_on_fake_clock(clock: FakeClock) -> None:
    waits, sleep = sleeper(clock)
    start = clock.now()
    fn = Flaky(RetryableError("429", retry_after=26), RetryableError("503", retry_after=7))
    assert call_with_retry(fn, Retry(max_attempts=4), sleep=sleep) == "ok"  # type: ignore[arg-type]
    assert waits == [26, 7]
    assert clock.now() - start == timedelta(seconds=33)


def test_backoff_is_jittered_exponential_and_bounded(clock: FakeClock) -> None:
    waits, sleep = sleeper(clock)
    fn = Flaky(*[RetryableError("503") for _ in range(10)])
    policy = Retry(max_attempts=5, initial_wait=1, max_wait=4)
    with pytest.raises(RetryableError):
        call_with_retry(fn, policy, sleep=sleep, rng=random.Random(7))  # type: ignore[arg-type]
    assert fn.calls == 5
    ceilings = [1, 2, 4, 4]
    assert len(waits) == 4
    assert all(c / 2 <= w <= c for w, c in zip(waits, ceilings, strict=True))
    assert len(set(waits)) == 4  # jitter: no two equal


def test_too_long_retry_after_is_left_to_pubsub(clock: FakeClock) -> None:
    waits, sleep = sleeper(clock)
    fn = Flaky(RetryableError("429", retry_after=3600))
    with pytest.raises(RetryableError) as caught:
        call_with_retry(fn, Retry(max_retry_after=60), sleep=sleep)  # type: ignore[arg-type]
    assert caught.value.retry_after == 3600
    assert fn.calls == 1 and waits == []


@pytest.mark.parametrize("error", [PermanentError("400"), CircuitOpen("gemini", 30)])
def test_permanent_errors_and_open_breakers_are_not_retried(
    error: Exception, clock: FakeClock
) -> None:
    waits, sleep = sleeper(clock)
    fn = Flaky(error)
    with pytest.raises(type(error)):
        call_with_retry(fn, Retry(), sleep=sleep)  # type: ignore[arg-type]
    assert fn.calls == 1 and waits == []


def test_a_deadline_stops_the_retries_before_it_passes(clock: FakeClock) -> None:
    waits, sleep = sleeper(clock)
    fn = Flaky(*[RetryableError("timeout") for _ in range(10)])
    policy = Retry(max_attempts=10, initial_wait=1, max_wait=1)
    now = lambda: clock.now().timestamp()  # noqa: E731
    deadline = now() + 3.2
    with pytest.raises(RetryableError):
        call_with_retry(
            fn, policy, sleep=sleep, rng=random.Random(1), deadline=deadline, monotonic=now
        )
    assert now() < deadline and sum(waits) < 3.2  # never slept past it
    assert 4 <= fn.calls <= 7
