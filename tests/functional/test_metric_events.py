"""The metric events the journey test does not meet, written for real with their fields:
breaker transitions, health checks, Gemini calls and the shared budget."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from common.adapters.gemini import GeminiClient
from common.errors import BudgetExhausted, CircuitOpen, RetryableError
from common.log_fields import EVENT, EVENTS
from common.logging import JsonFormatter
from common.resilience.guard import Guard
from common.services import health
from common.services.llm_budget import LlmBudget
from common.settings import Breaker, Gemini, Resilience, Settings
from tests.helpers.clock import FakeClock
from tests.helpers.fake_gemini import FakeGemini
from tests.helpers.logs import captured
from tests.helpers.runtimes import make_runtime

Lines = Callable[[str], list[dict[str, Any]]]


@pytest.fixture
def events() -> Iterator[Lines]:
    """``events(name)``: the JSON lines of that event so far, each checked for its fields."""
    with captured(JsonFormatter()) as read:

        def of(name: str) -> list[dict[str, Any]]:
            found = [x for x in map(json.loads, read()) if x.get(EVENT) == name]
            for line in found:
                assert EVENTS[name].required <= line.keys() <= _allowed(name), line
            return found

        yield of


def _allowed(name: str) -> set[str]:
    from common.log_fields import fields_of

    return fields_of(name) | {"logging.googleapis.com/trace", "logging.googleapis.com/spanId"}


def test_breaker_opens_half_opens_and_closes(sqlite_store, clock: FakeClock, events: Lines) -> None:  # type: ignore[no-untyped-def]
    settings = Resilience(breaker=Breaker(min_calls=2, failure_rate=0.5, open_seconds=30))
    guard = Guard(sqlite_store, clock, settings)

    def fail() -> None:
        raise RetryableError("503")

    for _ in range(2):
        with pytest.raises(RetryableError):
            guard.call("apify", "runs.get", fail)
    with pytest.raises(CircuitOpen):
        guard.call("apify", "runs.get", lambda: None)
    clock.advance(seconds=31)
    guard.call("apify", "runs.get", lambda: None)  # the trial succeeds
    moves = [(x["from_state"], x["to_state"]) for x in events("breaker_transition")]
    assert moves == [("closed", "open"), ("open", "half_open"), ("half_open", "closed")]
    opened = events("breaker_transition")[0]
    assert opened["severity"] == "WARNING" and opened["error_type"] == "RetryableError"
    outcomes = [x["outcome"] for x in events("external_call")]
    assert outcomes == ["failure", "failure", "circuit_open", "success"]


def test_budget_reserved_then_exhausted_before_noon(
    sqlite_store, clock: FakeClock, events: Lines
) -> None:  # type: ignore[no-untyped-def]
    clock.at = clock.at.replace(hour=9)
    budget = LlmBudget(sqlite_store, clock, Gemini(requests_per_day=2, requests_per_minute=10))
    budget.reserve()
    budget.reserve()
    with pytest.raises(BudgetExhausted):
        budget.reserve()
    lines = events("llm_budget")
    assert [(x["outcome"], x["scope"], x["day_count"]) for x in lines] == [
        ("reserved", None, 1),
        ("reserved", None, 2),
        ("exhausted", "day", 2),
    ]
    assert [x["day_used_pct"] for x in lines] == [50.0, 100.0, 100.0]
    assert all(x["before_noon"] is True for x in lines)

    clock.advance(days=1, hours=5)  # 14:00 the next day: a fresh budget, afternoon
    budget.reserve()
    assert events("llm_budget")[-1]["before_noon"] is False
    assert events("llm_budget")[-1]["day_count"] == 1


def test_gemini_call_reports_its_tokens(events: Lines, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeGemini() as fake:
        monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
        GeminiClient("k", Gemini()).generate_json("Be brief.", ["Score this."], {"type": "object"})
    (line,) = events("llm_call")
    assert line["model"] == Gemini().model and line["finish_reason"] == "STOP"
    assert line["prompt_tokens"] > 0 and line["output_tokens"] > 0 and line["blocked"] is False


def test_each_health_check_is_one_event(
    sqlite_store, clock: FakeClock, tmp_path: Path, events: Lines
) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sqlite_store, clock, tmp_path, Settings(health={"cache_seconds": 0}))
    health.clear_cache()
    try:
        body, _ = health.integrations(rt)
    finally:
        health.clear_cache()
    lines = {x["service"]: x for x in events("integration_health")}
    enabled = {name for name, entry in body["integrations"].items() if entry["enabled"]}
    assert set(lines) == enabled and {"database", "storage"} <= enabled
    assert lines["database"]["status"] == "ok" and lines["database"]["kind"] == "internal"
    assert lines["storage"]["breaker"] == "closed"
