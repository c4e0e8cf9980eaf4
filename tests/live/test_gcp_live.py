"""A staging GCP project: Firestore, Pub/Sub and Secret Manager round trips through the
project's own adapters. Everything created is deleted again."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from tests.live.conftest import need


def test_firestore_round_trip() -> None:
    (project,) = need("AUTOAPPLY_LIVE_GCP_PROJECT")
    from common.adapters.store_firestore import FirestoreStore

    database = os.environ.get("AUTOAPPLY_FIRESTORE_DATABASE") or "(default)"
    store = FirestoreStore(project, database)
    doc_id = f"live-{uuid.uuid4().hex}"
    try:
        store.put("live_checks", doc_id, {"n": 1})
        after = store.transact("live_checks", doc_id, lambda d: {**(d or {}), "n": d["n"] + 1})
        assert after == {"n": 2} and store.get("live_checks", doc_id) == {"n": 2}
    finally:
        store.delete("live_checks", doc_id)
    assert store.get("live_checks", doc_id) is None


def test_pubsub_round_trip_keeps_the_trace() -> None:
    (project,) = need("AUTOAPPLY_LIVE_GCP_PROJECT")
    from google.cloud import pubsub_v1

    from common.adapters.bus_pubsub import PubSubBus
    from common.tracing import TRACE_ATTRIBUTE, span

    prefix = f"autoapply-live-{uuid.uuid4().hex[:8]}-"
    bus = PubSubBus(project, prefix)
    topic = bus.topic_path("jobs-matched")
    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    subscription = f"projects/{project}/subscriptions/{prefix}check"
    publisher.create_topic(name=topic)
    try:
        subscriber.create_subscription(name=subscription, topic=topic)
        try:
            with span() as trace:
                bus.publish("jobs-matched", {"job_id": "live-check"})
            got = subscriber.pull(subscription=subscription, max_messages=1, timeout=60)
            (received,) = got.received_messages
            subscriber.acknowledge(subscription=subscription, ack_ids=[received.ack_id])
            assert json.loads(received.message.data) == {"job_id": "live-check"}
            assert received.message.attributes[TRACE_ATTRIBUTE] == trace
        finally:
            subscriber.delete_subscription(subscription=subscription)
    finally:
        publisher.delete_topic(topic=topic)


def test_secret_manager_reads_a_secret() -> None:
    (project,) = need("AUTOAPPLY_LIVE_GCP_PROJECT")
    from common.adapters.secrets_gsm import SecretManagerSecrets

    name = os.environ.get("AUTOAPPLY_LIVE_SECRET") or "apify-webhook-secret"
    secrets = SecretManagerSecrets(
        project, endpoint=os.environ.get("AUTOAPPLY_SECRETMANAGER_ENDPOINT")
    )
    value = secrets.get(name)
    if value is None:
        pytest.skip(f"set AUTOAPPLY_LIVE_SECRET to a secret with a version in {project}")
    assert isinstance(value, str) and value  # never printed
    assert secrets.get(f"autoapply-live-absent-{uuid.uuid4().hex[:8]}") is None
