"""The resilience and health settings: defaults, environment, and clear errors."""

from __future__ import annotations

import pytest

from common.errors import ConfigError
from common.events import TOPIC_ATTRIBUTE, Delivery, topic_of
from common.settings import build_settings, load_settings


def test_defaults() -> None:
    settings = load_settings(env={})
    assert settings.resilience.breaker.min_calls == 5
    assert settings.resilience.retry.max_attempts == 4
    assert settings.resilience.max_event_age_seconds == 86400
    assert settings.health.cache_seconds == 30


def test_environment_overrides() -> None:
    env = {"AUTOAPPLY_MAX_EVENT_AGE_SECONDS": "3600", "AUTOAPPLY_HEALTH_CACHE_SECONDS": "5"}
    settings = load_settings(env=env)
    assert settings.resilience.max_event_age_seconds == 3600
    assert settings.health.cache_seconds == 5


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"resilience": {"breaker": {"failure_rate": 1.5}}}, "resilience.breaker.failure_rate"),
        ({"resilience": {"retry": {"max_attempts": 0}}}, "resilience.retry.max_attempts"),
        ({"health": {"cache_secs": 3}}, "health.cache_secs"),
    ],
)
def test_bad_values_name_the_field(raw: dict, field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        build_settings(raw)
    assert caught.value.field == field


def delivery(attributes: dict[str, str]) -> Delivery:
    return Delivery("1", {}, attributes, None)


def test_topic_of_a_delivery() -> None:
    assert topic_of(delivery({TOPIC_ATTRIBUTE: "jobs-matched"}), None) == "jobs-matched"
    source = "//pubsub.googleapis.com/projects/p/topics/prod-jobs-ingested"
    assert topic_of(delivery({}), source, prefix="prod-") == "jobs-ingested"
    assert topic_of(delivery({}), "//pubsub.googleapis.com/projects/p/topics/other") is None
    assert topic_of(delivery({}), None) is None
