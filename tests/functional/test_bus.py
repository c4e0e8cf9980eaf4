"""Message buses: the in-process bus, and the Pub/Sub publisher against the emulator."""

from __future__ import annotations

import gc
import json
import uuid
import weakref

import pytest

from common.adapters.bus_local import LocalBus, NullBus
from common.errors import ConfigError, PermanentError, RetryableError
from tests.helpers.emulators import SESSION_PROJECT, require


def test_local_bus_delivers_in_order_until_empty() -> None:
    bus = LocalBus()
    seen: list[tuple[str, dict]] = []
    bus.subscribe("a", lambda m, _: (seen.append(("a", m)), bus.publish("b", {"from": m["n"]})))
    bus.subscribe("b", lambda m, _: seen.append(("b", m)))
    bus.publish("a", {"n": 1})
    bus.publish("a", {"n": 2})
    assert bus.drain() == 4
    assert seen == [("a", {"n": 1}), ("a", {"n": 2}), ("b", {"from": 1}), ("b", {"from": 2})]


def test_local_bus_keeps_only_pending_messages() -> None:
    bus = LocalBus()
    bus.subscribe("t", lambda m, _: None)
    for n in range(3):
        bus.publish("t", {"n": n})
    first = weakref.ref(bus.queue[0])
    assert [e.message for e in bus.queue] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert bus.drain_one() == 1
    gc.collect()
    assert first() is None  # a delivered message is not kept anywhere
    assert [e.message for e in bus.queue] == [{"n": 1}, {"n": 2}]


def test_null_bus_publishes_nowhere() -> None:
    bus = NullBus()
    assert bus.publish("t", {"n": 1}) != bus.publish("t", {"n": 2})


def test_local_bus_redelivers_retryable_then_dead_letters() -> None:
    bus = LocalBus(max_attempts=3)
    attempts: list[int] = []

    def flaky(message: dict, _attrs: dict) -> None:
        attempts.append(1)
        raise RetryableError("try later")

    bus.subscribe("t", flaky)
    bus.publish("t", {"x": 1})
    bus.drain()
    assert len(attempts) == 3
    assert [env.message for env, _ in bus.dead_letters] == [{"x": 1}]


def test_local_bus_permanent_error_dead_letters_at_once() -> None:
    bus = LocalBus()
    calls: list[int] = []

    def broken(message: dict, _attrs: dict) -> None:
        calls.append(1)
        raise PermanentError("bad message")

    bus.subscribe("t", broken)
    bus.publish("t", {})
    bus.drain()
    assert calls == [1] and len(bus.dead_letters) == 1


def test_pubsub_needs_a_project() -> None:
    from common.adapters.bus_pubsub import PubSubBus

    with pytest.raises(ConfigError, match="GOOGLE_CLOUD_PROJECT"):
        PubSubBus(None, client=object())


@pytest.mark.pubsub
def test_pubsub_publish_reaches_a_subscription() -> None:
    require("PUBSUB_EMULATOR_HOST", "Pub/Sub")
    from google.cloud import pubsub_v1

    from common.adapters.bus_pubsub import PubSubBus

    prefix = f"t{uuid.uuid4().hex[:6]}-"
    bus = PubSubBus(SESSION_PROJECT, prefix=prefix)
    topic = bus.topic_path("jobs-ingested")
    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    publisher.create_topic(name=topic)
    sub = subscriber.subscription_path(SESSION_PROJECT, f"{prefix}sub")
    subscriber.create_subscription(name=sub, topic=topic)

    ids = {bus.publish("jobs-ingested", {"job_ids": [f"j{i}"]}, {"run": "r1"}) for i in range(3)}
    assert len(ids) == 3

    received: list[dict] = []
    for _ in range(20):
        response = subscriber.pull(subscription=sub, max_messages=10, timeout=10)
        for msg in response.received_messages:
            received.append({"data": json.loads(msg.message.data), **dict(msg.message.attributes)})
        if response.received_messages:
            subscriber.acknowledge(
                subscription=sub, ack_ids=[m.ack_id for m in response.received_messages]
            )
        if len(received) == 3:
            break
    assert sorted(r["data"]["job_ids"][0] for r in received) == ["j0", "j1", "j2"]
    assert all(r["run"] == "r1" for r in received)


@pytest.mark.pubsub
def test_pubsub_missing_topic_is_a_clear_error() -> None:
    require("PUBSUB_EMULATOR_HOST", "Pub/Sub")
    from common.adapters.bus_pubsub import PubSubBus
    from common.errors import AutoapplyError

    bus = PubSubBus(SESSION_PROJECT, prefix=f"missing-{uuid.uuid4().hex[:6]}-")
    with pytest.raises(AutoapplyError, match="pubsub publish jobs-matched"):
        bus.publish("jobs-matched", {"job_id": "x"})
