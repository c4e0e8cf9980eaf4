"""The deployed delivery path: Pub/Sub push bodies into the CloudEvent entry points."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from common.adapters.dataset_file import iter_dataset_file
from common.events import JOBS_INGESTED, JOBS_MATCHED, TOPIC_ATTRIBUTE
from common.services.ingest import ingest_items
from common.store.collections import ANALYSES, DEAD_LETTERS
from tests.functional import test_functions_skeleton as skeleton
from tests.helpers.cloudevents import function_client
from tests.helpers.pubsub_push import PUSH_HEADERS, push_body

DEMO = Path(__file__).resolve().parents[2] / "common" / "resources" / "demo"
#: every publish carries its logical topic (how a dead letter knows where it goes back)
ATTRS = {TOPIC_ATTRIBUTE: JOBS_INGESTED}
runtime = skeleton.runtime  # the one fixture: embedded defaults, shared with the entry points


def _ingested(rt) -> dict:  # type: ignore[no-untyped-def]
    ingest_items(
        iter_dataset_file(DEMO / "linkedin-bebity.json"),
        store=rt.store,
        bus=rt.bus,
        now=rt.clock.now(),
    )
    envelope = rt.bus.queue.popleft()
    assert envelope.topic == JOBS_INGESTED
    return envelope.message


def test_push_body_reaches_the_handler_once(runtime) -> None:  # type: ignore[no-untyped-def]
    client = function_client("analyze", "analyze_jobs", "cloudevent")
    message = _ingested(runtime)
    for attempt in (1, 2):  # a redelivery (same message id) changes nothing
        body = push_body(message, "4242", runtime.clock.now(), attempt=attempt, attributes=ATTRS)
        response = client.post("/", headers=PUSH_HEADERS, data=body)
        assert response.status_code == 200, response.get_data(as_text=True)
    analysed = {doc_id for doc_id, _ in runtime.store.query(ANALYSES)}
    assert analysed == set(message["job_ids"])
    matched = [e for e in runtime.bus.queue if e.topic == JOBS_MATCHED]
    assert len(matched) == 4  # one per matched job of the demo data, not one per delivery


def test_a_bad_message_is_acknowledged(runtime) -> None:  # type: ignore[no-untyped-def]
    client = function_client("analyze", "analyze_jobs", "cloudevent")
    body = push_body({"job_ids": "not-a-list"}, "1", runtime.clock.now(), attributes=ATTRS)
    assert client.post("/", headers=PUSH_HEADERS, data=body).status_code == 200
    assert not runtime.bus.queue  # permanent: acknowledged, nothing published
    [(_, letter)] = runtime.store.query(DEAD_LETTERS)
    assert letter["source"] == "permanent"  # the permanent-failure path, not the age cut-off
    assert "job_ids" in letter["reason"]


def test_an_old_message_is_dropped_as_expired(runtime) -> None:  # type: ignore[no-untyped-def]
    client = function_client("analyze", "analyze_jobs", "cloudevent")
    message = _ingested(runtime)
    age = runtime.settings.resilience.max_event_age_seconds + 60
    body = push_body(message, "7", runtime.clock.now() - timedelta(seconds=age), attributes=ATTRS)
    assert client.post("/", headers=PUSH_HEADERS, data=body).status_code == 200
    assert not list(runtime.store.query(ANALYSES))  # not handled
    [(_, letter)] = runtime.store.query(DEAD_LETTERS)
    assert letter["source"] == "expired"


def test_a_body_that_is_no_delivery_is_refused(runtime) -> None:  # type: ignore[no-untyped-def]
    client = function_client("analyze", "analyze_jobs", "cloudevent")
    response = client.post("/", headers=PUSH_HEADERS, data='{"hello": "world"}')
    assert response.status_code == 400
