"""Dead letters: stored where we can see them, replayed once each; old events dropped."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from common.adapters.bus_local import LocalBus
from common.cli.main import main
from common.entry import handle_cloud_event
from common.errors import CircuitOpen
from common.events import JOBS_INGESTED, JOBS_MATCHED, TOPIC_ATTRIBUTE
from common.runtime import Runtime, shared_runtime
from common.services.dead_letters import record_dead_letter, replay
from common.services.pipeline import attach_handlers
from common.store.collections import DEAD_LETTERS
from tests.helpers import pubsub_push
from tests.helpers.clock import FakeClock
from tests.helpers.cloudevents import function_client, pubsub_request
from tests.helpers.pubsub_sim import cloud_event
from tests.helpers.runtimes import make_runtime, reset_shared_runtime

DEMO = Path(__file__).resolve().parents[2] / "common" / "resources" / "demo"


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Embedded defaults in tmp_path, shared by the function entry points and the CLI."""
    (tmp_path / "profile.json").write_bytes((DEMO / "profile.json").read_bytes())
    (tmp_path / "autoapply.yaml").write_bytes((DEMO / "autoapply.yaml").read_bytes())
    monkeypatch.setenv("AUTOAPPLY_CONFIG", str(tmp_path / "autoapply.yaml"))
    reset_shared_runtime()
    yield shared_runtime()
    reset_shared_runtime()


def test_event_older_than_the_cut_off_is_dropped_and_kept(runtime: Runtime) -> None:
    client = function_client("analyze", "analyze_jobs", "cloudevent")
    old = datetime.now(UTC) - timedelta(days=2)
    headers, body = pubsub_request({"job_ids": ["j1"]}, message_id="m-old", published=old)
    assert client.post("/", headers=headers, data=body).status_code == 200  # acknowledged
    stored = runtime.store.get(DEAD_LETTERS, "jobs-ingested:m-old")
    assert stored is not None
    assert stored["source"] == "expired" and stored["message"] == {"job_ids": ["j1"]}
    assert "older than the cut-off" in stored["reason"]
    assert not runtime.bus.queue  # the handler did not run


def test_recent_event_is_handled(runtime: Runtime) -> None:
    client = function_client("analyze", "analyze_jobs", "cloudevent")
    headers, body = pubsub_request({"job_ids": ["j1"]}, published=datetime.now(UTC))
    assert client.post("/", headers=headers, data=body).status_code == 200
    assert runtime.store.query(DEAD_LETTERS) == []


def test_open_breaker_defers_the_message(sqlite_store, clock: FakeClock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(sqlite_store, clock, tmp_path)

    def handler(message: dict[str, Any], rt: Runtime) -> None:
        raise CircuitOpen("gemini", retry_after=30)

    event = cloud_event({"job_ids": ["j1"]}, JOBS_INGESTED, published=clock.now())
    with pytest.raises(CircuitOpen):  # -> HTTP 500: Pub/Sub redelivers later
        handle_cloud_event(event, "test", handler, runtime=lambda: rt)
    assert sqlite_store.query(DEAD_LETTERS) == []


def push_body(message: dict[str, Any], attributes: dict[str, str], message_id: str) -> str:
    """A raw Pub/Sub push body of the ``dead-letters`` subscription."""
    return pubsub_push.push_body(
        message,
        message_id,
        subscription="projects/p/subscriptions/dead-letters-push",
        attempt=None,
        attributes=attributes,
    )


def test_dead_letter_push_is_stored_once(runtime: Runtime) -> None:
    client = function_client("health", "health_check", "http")
    attrs = {
        TOPIC_ATTRIBUTE: JOBS_MATCHED,
        "CloudPubSubDeadLetterSourceDeliveryCount": "5",
        "CloudPubSubDeadLetterSourceSubscription": "jobs-matched-sub",
        "googclient_other": "dropped",
    }
    body = push_body({"job_id": "j9"}, attrs, "dl-1")
    for _ in range(2):  # push delivery is at least once too
        response = client.post("/pubsub/dead-letters", data=body)
        assert response.status_code == 200
        assert response.get_json() == {"status": "stored", "dead_letter": "jobs-matched:dl-1"}
    [(_, doc)] = runtime.store.query(DEAD_LETTERS)
    assert doc["reason"] == "undeliverable after 5 delivery attempts"
    assert set(doc["attributes"]) == {
        "CloudPubSubDeadLetterSourceDeliveryCount",
        "CloudPubSubDeadLetterSourceSubscription",
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (push_body({"x": 1}, {}, "m"), TOPIC_ATTRIBUTE),
        (push_body({"x": 1}, {TOPIC_ATTRIBUTE: "no-such-topic"}, "m"), "topic"),
        (b"not json", "body"),
        (b"[" * 5000 + b"]" * 5000, "body"),  # nested past the parser's recursion limit
        (json.dumps({"subscription": "s"}).encode(), None),  # no message
        (b" " * (70 * 1024), None),  # larger than any dead letter
    ],
)
def test_malformed_dead_letter_push_is_acknowledged_and_logged(
    runtime: Runtime, body: bytes, field: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    """Pub/Sub retries a push answered 4xx/5xx for 7 days: a body that can never be stored
    is acknowledged (2xx) and logged instead."""
    client = function_client("health", "health_check", "http")
    response = client.post("/pubsub/dead-letters", data=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    assert answer["status"] == "rejected" and answer.get("field") == field
    assert runtime.store.query(DEAD_LETTERS) == []
    assert any("dead letter push rejected" in r.getMessage() for r in caplog.records)


def test_replay_publishes_each_dead_letter_once(store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        record_dead_letter(
            store, clock, topic=JOBS_INGESTED, message={"job_ids": [f"j{n}"]},
            message_id=f"m{n}", reason="handler failed", source="pubsub",
        )  # fmt: skip
        clock.advance(seconds=1)
    bus = LocalBus()
    first = replay(store, bus, clock, limit=2)
    assert first.replayed == ["jobs-ingested:m0", "jobs-ingested:m1"]
    second = replay(store, bus, clock)
    assert second.replayed == ["jobs-ingested:m2"]
    assert replay(store, bus, clock).replayed == []
    assert [e.message for e in bus.queue] == [{"job_ids": [f"j{n}"]} for n in range(3)]
    assert all(e.attributes["replay_of"].startswith("jobs-ingested:m") for e in bus.queue)
    assert all(doc["replayed"] and doc["replayed_at"] for _, doc in store.query(DEAD_LETTERS))


def test_local_bus_giving_up_stores_a_dead_letter(runtime: Runtime) -> None:
    bus = attach_handlers(runtime)
    bus.publish(JOBS_INGESTED, {"job_ids": "not-a-list"})
    bus.drain()
    [(_, doc)] = runtime.store.query(DEAD_LETTERS)
    assert doc["source"] == "local-bus" and "job_ids" in doc["reason"]


def test_cli_replay(
    runtime: Runtime, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTOAPPLY_LOG_FORMAT", "text")  # logs to stderr, JSON alone on stdout
    record_dead_letter(
        runtime.store, runtime.clock, topic=JOBS_INGESTED, message={"job_ids": ["gone"]},
        message_id="m1", reason="analyzer outage", source="pubsub",
    )  # fmt: skip
    assert main(["replay", "--dry-run"]) == 0
    assert "jobs-ingested:m1  jobs-ingested  analyzer outage" in capsys.readouterr().out
    assert main(["replay", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "replayed": ["jobs-ingested:m1"],
        "skipped": [],
    }
    assert main(["replay", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"replayed": [], "skipped": []}
