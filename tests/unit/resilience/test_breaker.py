"""The circuit breaker's rules (pure functions of document, time and settings)."""

from __future__ import annotations

from datetime import timedelta

from common.resilience.breaker import Outcome, State, admit, record, state_of
from common.settings import Breaker
from tests.helpers.clock import FakeClock

CFG = Breaker(window_seconds=60, min_calls=4, failure_rate=0.5, open_seconds=30)


def feed(doc, clock: FakeClock, outcomes: list[Outcome], owner: str = "a"):  # type: ignore[no-untyped-def]
    for outcome in outcomes:
        doc = record(doc, owner, outcome, clock.now(), CFG, "RetryableError")
        clock.advance(seconds=1)
    return doc


def test_opens_on_failure_rate_once_min_calls_reached(clock: FakeClock) -> None:
    doc = feed(None, clock, [Outcome.FAILURE] * 3)
    assert state_of(doc) is State.CLOSED  # 3 calls < min_calls, however bad
    doc = feed(doc, clock, [Outcome.SUCCESS])
    assert state_of(doc) is State.OPEN  # 4 calls, 3 failed: 75 % >= 50 %
    assert doc["open_until"] == "2026-11-26T10:00:33.000000Z"  # opened at 10:00:03 + 30 s
    assert doc["buckets"] == []


def test_rate_below_threshold_stays_closed(clock: FakeClock) -> None:
    doc = feed(None, clock, [Outcome.SUCCESS, Outcome.SUCCESS, Outcome.SUCCESS, Outcome.FAILURE])
    assert state_of(doc) is State.CLOSED
    doc = feed(doc, clock, [Outcome.FAILURE])  # 2/5 = 40 % < 50 %
    assert state_of(doc) is State.CLOSED
    doc = feed(doc, clock, [Outcome.FAILURE])  # 3/6 = 50 %
    assert state_of(doc) is State.OPEN
    assert doc["last_error_type"] == "RetryableError"


def test_business_errors_do_not_count(clock: FakeClock) -> None:
    doc = feed(None, clock, [Outcome.BUSINESS_ERROR] * 10 + [Outcome.FAILURE] * 3)
    assert state_of(doc) is State.CLOSED  # 3 counted calls only
    assert sum(b["ok"] + b["fail"] for b in doc["buckets"]) == 3


def test_window_slides(clock: FakeClock) -> None:
    doc = feed(None, clock, [Outcome.FAILURE] * 3)
    clock.advance(seconds=120)  # those failures left the window
    doc = feed(doc, clock, [Outcome.FAILURE, Outcome.SUCCESS, Outcome.SUCCESS])
    assert state_of(doc) is State.CLOSED
    assert sum(b["ok"] + b["fail"] for b in doc["buckets"]) == 3


def opened(clock: FakeClock):  # type: ignore[no-untyped-def]
    doc = feed(None, clock, [Outcome.FAILURE] * 4)
    assert state_of(doc) is State.OPEN
    return doc


def test_open_refuses_until_open_seconds_pass(clock: FakeClock) -> None:
    doc = opened(clock)
    new, wait = admit(doc, "b", clock.now(), CFG)
    assert new is None and wait is not None and 0 < wait <= 30
    clock.advance(seconds=wait)
    new, wait = admit(doc, "b", clock.now(), CFG)
    assert wait is None and new is not None
    assert new["state"] == "half_open" and new["trial_owner"] == "b"


def test_half_open_lets_one_trial_through(clock: FakeClock) -> None:
    doc = opened(clock)
    clock.advance(seconds=31)
    trial, _ = admit(doc, "b", clock.now(), CFG)
    other, wait = admit(trial, "c", clock.now(), CFG)
    assert other is None and wait is not None  # refused while b's trial is in flight
    closed = record(trial, "b", Outcome.SUCCESS, clock.now(), CFG)
    assert state_of(closed) is State.CLOSED and closed["buckets"] == []
    assert admit(closed, "c", clock.now(), CFG) == (None, None)


def test_failed_trial_opens_again(clock: FakeClock) -> None:
    doc = opened(clock)
    clock.advance(seconds=31)
    trial, _ = admit(doc, "b", clock.now(), CFG)
    again = record(trial, "b", Outcome.FAILURE, clock.now(), CFG, "RetryableError")
    assert state_of(again) is State.OPEN
    _, wait = admit(again, "c", clock.now(), CFG)
    assert wait == 30


def test_business_error_on_trial_closes(clock: FakeClock) -> None:
    doc = opened(clock)
    clock.advance(seconds=31)
    trial, _ = admit(doc, "b", clock.now(), CFG)
    assert state_of(record(trial, "b", Outcome.BUSINESS_ERROR, clock.now(), CFG)) is State.CLOSED


def test_lost_trial_is_given_up_after_its_timeout(clock: FakeClock) -> None:
    doc = opened(clock)
    clock.advance(seconds=31)
    trial, _ = admit(doc, "b", clock.now(), CFG)
    clock.advance(seconds=CFG.trial_timeout_seconds + 1)
    taken, wait = admit(trial, "c", clock.now(), CFG)
    assert wait is None and taken is not None and taken["trial_owner"] == "c"


def test_late_answer_from_before_opening_changes_no_state(clock: FakeClock) -> None:
    doc = opened(clock)
    late = record(doc, "someone", Outcome.SUCCESS, clock.now() + timedelta(seconds=1), CFG)
    assert state_of(late) is State.OPEN and late["last_success"]


def test_abandoned_trial_frees_the_slot_without_a_verdict(clock: FakeClock) -> None:
    doc = opened(clock)
    clock.advance(seconds=31)
    trial, _ = admit(doc, "b", clock.now(), CFG)
    freed = record(trial, "b", Outcome.ABANDONED, clock.now(), CFG)
    assert state_of(freed) is State.HALF_OPEN and freed["trial_owner"] is None
    taken, wait = admit(freed, "c", clock.now(), CFG)
    assert wait is None and taken is not None and taken["trial_owner"] == "c"
