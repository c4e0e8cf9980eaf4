"""The whole chain on the cloud adapters: Firestore and Pub/Sub emulators, the Cloud Storage
emulator, and fake Apify and Gmail servers, through the five real entry points.

Pub/Sub delivery is driven by the test: it pulls each subscription of the emulator and posts
the message to the subscribing function as a push (a binary-mode CloudEvent), acknowledging
only after the function answered 2xx, as a push subscription would.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from common.events import JOBS_INGESTED, JOBS_MATCHED, TOPICS
from common.local_server import FUNCTIONS, SUBSCRIPTIONS
from common.store.collections import APPLICATIONS, JOBS
from tests.helpers.cloudevents import function_client, pubsub_request
from tests.helpers.emulators import require
from tests.helpers.fake_apify import FakeApify
from tests.helpers.fake_gmail import FakeGmail
from tests.helpers.gcs_emulator import BUCKET
from tests.helpers.runtimes import reset_shared_runtime

DEMO = Path(__file__).resolve().parents[2] / "common" / "resources" / "demo"
ACTOR = "bebity/linkedin-jobs-scraper"
SECRET = "chain-webhook-secret"
#: topic -> (function folder, entry point) of the event functions, as `serve` wires them
PUSH = {topic: (fn, FUNCTIONS[fn][0]) for topic, (fn, path) in SUBSCRIPTIONS.items() if path == "/"}


@pytest.fixture
def cloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gcs_emulator: str):  # type: ignore[no-untyped-def]
    require("FIRESTORE_EMULATOR_HOST", "Firestore")
    require("PUBSUB_EMULATOR_HOST", "Pub/Sub")
    from google.cloud import pubsub_v1

    project, prefix = f"chain-{uuid.uuid4().hex[:8]}", "aa-"
    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    subscriptions = {}
    for topic in TOPICS:
        publisher.create_topic(name=f"projects/{project}/topics/{prefix}{topic}")
    for topic in PUSH:
        name = f"projects/{project}/subscriptions/{prefix}{topic}-push"
        subscriber.create_subscription(
            name=name, topic=f"projects/{project}/topics/{prefix}{topic}"
        )
        subscriptions[topic] = name

    apify, gmail = FakeApify().start(), FakeGmail().start()
    config = {
        "profile": str(DEMO / "profile.json"),
        "searches": [{"name": "demo", "actor": ACTOR, "input": {}}],
        "apify": {"api_url": apify.url, "webhook_url": "https://scrape.example.com/webhooks/apify"},
        "scoring": {"apply_threshold": 60, "review_threshold": 40, "llm_threshold": 50},
        "sending": {"mode": "draft", "quiet_hours": None},
    }
    (tmp_path / "autoapply.yaml").write_text(yaml.safe_dump(config))
    env = {
        "AUTOAPPLY_CONFIG": str(tmp_path / "autoapply.yaml"),
        "AUTOAPPLY_STORE": "firestore",
        "AUTOAPPLY_OBJECTS": "gcs",
        "AUTOAPPLY_BUS": "pubsub",
        "AUTOAPPLY_SECRETS": "env",
        "AUTOAPPLY_MAILER": "gmail",
        "AUTOAPPLY_ANALYZER": "local",
        "AUTOAPPLY_SEND_MODE": "draft",
        "GOOGLE_CLOUD_PROJECT": project,
        "AUTOAPPLY_BUCKET": BUCKET,
        "AUTOAPPLY_TOPIC_PREFIX": prefix,
        "AUTOAPPLY_DATA_DIR": str(tmp_path / "data"),
        "APIFY_TOKEN": apify.token,
        "APIFY_WEBHOOK_SECRET": SECRET,
        **gmail.env(),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    reset_shared_runtime()
    yield {"apify": apify, "gmail": gmail, "subscriber": subscriber, "subs": subscriptions}
    reset_shared_runtime()
    apify.stop()
    gmail.stop()


def _deliver_until_quiet(cloud: dict[str, Any]) -> dict[str, int]:
    """Pull every subscription and push each message to its function until none is left."""
    clients = {t: function_client(fn, target, "cloudevent") for t, (fn, target) in PUSH.items()}
    pushed = dict.fromkeys(PUSH, 0)
    quiet_rounds = 0
    while quiet_rounds < 2:
        got_any = False
        for topic, sub in cloud["subs"].items():
            response = cloud["subscriber"].pull(subscription=sub, max_messages=20, timeout=1)
            for received in response.received_messages:
                got_any = True
                message = json.loads(received.message.data)
                headers, body = pubsub_request(
                    message, topic=topic, message_id=received.message.message_id
                )
                answer = clients[topic].post("/", headers=headers, data=body)
                assert answer.status_code == 200, (topic, answer.get_data(as_text=True))
                cloud["subscriber"].acknowledge(subscription=sub, ack_ids=[received.ack_id])
                pushed[topic] += 1
        quiet_rounds = 0 if got_any else quiet_rounds + 1
    return pushed


@pytest.mark.pubsub
def test_webhook_to_gmail_drafts_on_the_cloud_adapters(cloud) -> None:  # type: ignore[no-untyped-def]
    from common.runtime import shared_runtime

    items = json.loads((DEMO / "linkedin-bebity.json").read_text())
    cloud["apify"].add_run("run-chain", ACTOR, items)
    scrape = function_client("scrape", "scrape_http", "http")
    webhook = {"eventType": "ACTOR.RUN.SUCCEEDED", "eventData": {"actorRunId": "run-chain"}}
    answer = scrape.post(
        "/webhooks/apify", json=webhook, headers={"X-Autoapply-Webhook-Secret": SECRET}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["inserted"] == 6

    pushed = _deliver_until_quiet(cloud)
    assert pushed[JOBS_INGESTED] >= 1 and pushed[JOBS_MATCHED] >= 3

    rt = shared_runtime()
    apps = dict(rt.store.query(APPLICATIONS))
    drafted = [a for a in apps.values() if a["status"] == "drafted"]
    assert drafted, {a["status"] for a in apps.values()}
    assert len(cloud["gmail"].drafts) == len(drafted)  # one Gmail draft per application
    assert sum(cloud["gmail"].sent_count.values()) == 0  # draft mode sends nothing
    for app in drafted:
        for kind in ("resume_pdf", "letter_txt"):
            assert rt.objects.exists(app["documents"][kind]), kind  # in the Cloud Storage bucket
    assert {doc["status"] for _, doc in rt.store.query(JOBS)} >= {"documents_ready", "skipped"}

    again = scrape.post(
        "/webhooks/apify", json=webhook, headers={"X-Autoapply-Webhook-Secret": SECRET}
    )
    assert again.status_code == 200 and again.get_json().get("inserted", 0) == 0
    assert _deliver_until_quiet(cloud) == dict.fromkeys(
        PUSH, 0
    )  # a redelivered webhook: nothing new
    assert len(cloud["gmail"].drafts) == len(drafted)
