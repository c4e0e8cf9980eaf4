"""The cloud path (Firestore and Pub/Sub emulators, fake Gmail): a function instance dies
mid-message, its message is lost, and the scheduled sweep brings the pipeline to the end state
of a clean run.

Each message is pulled from the emulator and handed to the real entry wrapper
(:func:`common.entry.handle_cloud_event`) with the topic's handler. The store dies right after
its Nth write (tests/helpers/dying_store.py: nothing is written after that, no lease is given
back); the message that was being handled is acknowledged anyway, as if its delivery attempts
had run out. Another instance handles what is left, the clock moves past the leases, and
Cloud Scheduler's ``{"sweep": true}`` reaches each stage's topic. A death during ingest is
followed by the scraper's retry of the same page (as Apify's webhook retry would cause).
Scores may move by ``SCORE_SLACK`` (:mod:`tests.helpers.end_state`); decisions may not.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from common.adapters.dataset_file import iter_dataset_file
from common.entry import handle_cloud_event
from common.errors import AutoapplyError
from common.events import TOPICS
from common.handlers import HANDLERS
from common.runtime import Runtime
from common.services.ingest import ingest_items
from common.services.sweep import STAGES, STUCK
from common.settings import load_settings
from common.store.collections import ANALYSES, APPLICATIONS, DEAD_LETTERS, JOBS
from tests.helpers.clock import FakeClock
from tests.helpers.dying_store import Died, DyingStore
from tests.helpers.emulators import require, reset_firestore
from tests.helpers.end_state import assert_same_end
from tests.helpers.fake_gmail import FakeGmail
from tests.helpers.pubsub_sim import cloud_event

DEMO = Path(__file__).resolve().parents[2] / "common" / "resources" / "demo"
DATASET = DEMO / "linkedin-bebity.json"
PREFIX = "aa-"
#: what marks each stage among the writes: (method, collection, document id) -> bool
PHASES = {
    "ingest": lambda m, c, i: (
        c in ("jobs", "job_urls", "job_keys", "job_fingerprints")
        and m in ("put_many", "create_many")
    ),
    "analysis": lambda m, c, i: c == ANALYSES or i.startswith("analyze:"),
    "documents": lambda m, c, i: (c == APPLICATIONS and m == "put") or i.startswith("documents:"),
    "email": lambda m, c, i: c == "outbox",
}

pytestmark = [pytest.mark.firestore, pytest.mark.pubsub]


class CountingBus:
    """The Pub/Sub bus, counting what it published per topic (and what the test acked)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.published: Counter[str] = Counter()
        self.acked: Counter[str] = Counter()

    def publish(self, topic: str, message: dict, attributes: Any = None) -> str:
        message_id = self.inner.publish(topic, message, attributes)
        self.published[topic] += 1
        return str(message_id)


@dataclass
class Cloud:
    rt: Runtime
    store: DyingStore
    gmail: FakeGmail
    subscriber: Any
    subscriptions: dict[str, str]
    project: str
    lost: int = 0

    @property
    def clock(self) -> FakeClock:
        return self.rt.clock  # type: ignore[return-value]

    def ingest(self, retry: bool = False) -> None:
        """The scrape function storing one run's page (a retry: the same run and claim)."""
        ingest_items(iter_dataset_file(DATASET), store=self.rt.store, bus=self.rt.bus,
                     now=self.clock.now(), run_id="run-1", resume=retry,
                     claim="apify-page:run-1:0")  # fmt: skip

    def deliver_until_quiet(self, max_attempts: int = 5) -> None:
        """Hand each published message to its handler until every one is acknowledged; a
        failed message is redelivered up to ``max_attempts`` times, then dropped."""
        attempts: dict[str, int] = {}
        bus: CountingBus = self.rt.bus  # type: ignore[assignment]
        while pending := [t for t in self.subscriptions if bus.published[t] > bus.acked[t]]:
            for topic in pending:
                sub = self.subscriptions[topic]
                answer = self.subscriber.pull(subscription=sub, max_messages=10, timeout=5)
                for received in answer.received_messages:
                    msg = received.message
                    event = cloud_event(json.loads(msg.data), topic, published=self.clock.now(),
                                        message_id=msg.message_id)  # fmt: skip
                    ack = True
                    try:
                        handle_cloud_event(event, "test", HANDLERS[topic], runtime=lambda: self.rt)
                    except Died:
                        self.lost += 1  # the instance died; this message is lost
                        self.store.revive()  # the next message reaches another instance
                    except AutoapplyError:
                        attempts[msg.message_id] = attempts.get(msg.message_id, 0) + 1
                        ack = attempts[msg.message_id] >= max_attempts
                    if ack:
                        self.subscriber.acknowledge(subscription=sub, ack_ids=[received.ack_id])
                        bus.acked[topic] += 1
                    else:
                        self.subscriber.modify_ack_deadline(
                            subscription=sub, ack_ids=[received.ack_id], ack_deadline_seconds=0
                        )

    def tick(self) -> None:
        """Cloud Scheduler's sweep: {"sweep": true} published to each stage's topic."""
        for topic in {stage.topic for stage in STAGES}:
            self.rt.bus.publish(topic, {"sweep": True})

    def state(self) -> dict[str, Any]:
        store = self.store.inner
        ids = [m.header_id for m in self.gmail.messages.values()]
        assert len(ids) == len(set(ids)), f"duplicate Message-ID in Gmail: {sorted(ids)}"
        return {
            "jobs": {i: d["status"] for i, d in store.query(JOBS)},
            "analyses": {i: (d["score"], d["decision"]) for i, d in store.query(ANALYSES)},
            "applications": {i: d["status"] for i, d in store.query(APPLICATIONS)},
            "dead_letters": len(store.query(DEAD_LETTERS)),
            "gmail": sorted(ids),
            "drafts": len(self.gmail.drafts),
        }


@pytest.fixture(scope="module")
def cloud_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    firestore = require("FIRESTORE_EMULATOR_HOST", "Firestore")
    require("PUBSUB_EMULATOR_HOST", "Pub/Sub")
    from google.cloud import pubsub_v1

    from common.adapters.bus_pubsub import PubSubBus
    from common.adapters.objects_local import LocalObjectStore
    from common.adapters.secrets_env import EnvSecrets
    from common.adapters.store_firestore import FirestoreStore

    config = {
        "profile": str(DEMO / "profile.json"),
        "backends": {"analyzer": "local"},
        "scoring": {"apply_threshold": 60, "review_threshold": 40, "llm_threshold": 50},
        "sending": {"mode": "draft", "quiet_hours": None},
    }
    tmp_path = tmp_path_factory.mktemp("sweep-cloud")
    (tmp_path / "autoapply.yaml").write_text(yaml.safe_dump(config))
    settings = load_settings(tmp_path / "autoapply.yaml", env={})
    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    made: list[tuple[str, FakeGmail]] = []

    def make(name: str, die_after: int = 0) -> Cloud:
        project = f"sweep-{name}-{uuid.uuid4().hex[:6]}"
        subscriptions = {}
        for topic in TOPICS:
            publisher.create_topic(name=f"projects/{project}/topics/{PREFIX}{topic}")
        for topic in HANDLERS:
            sub = f"projects/{project}/subscriptions/{PREFIX}{topic}"
            subscriber.create_subscription(
                name=sub, topic=f"projects/{project}/topics/{PREFIX}{topic}"
            )
            subscriptions[topic] = sub
        clock = FakeClock(datetime.now(UTC))
        gmail = FakeGmail.with_clock(clock).start()
        made.append((project, gmail))
        store = DyingStore(FirestoreStore(project), die_after)
        rt = Runtime(
            settings=settings,
            store=store,  # type: ignore[arg-type]
            objects=LocalObjectStore(tmp_path / name / "objects"),
            bus=CountingBus(PubSubBus(project, PREFIX)),
            secrets=EnvSecrets(env={}, dotenv=None),
            clock=clock,
            _mailer=gmail.mailer(),
        )
        return Cloud(rt, store, gmail, subscriber, subscriptions, project)

    yield make
    for project, gmail in made:
        gmail.stop()
        reset_firestore(firestore, project)


@pytest.fixture(scope="module")
def clean(cloud_factory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A clean run: its end state and the writes of each stage."""
    cloud = cloud_factory("clean")
    cloud.ingest()
    cloud.deliver_until_quiet()
    state = cloud.state()
    assert state["drafts"] and not state["dead_letters"] and not cloud.lost
    phases: dict[str, list[int]] = {p: [] for p in PHASES}
    for n, method, collection, doc_id in cloud.store.trace:
        for phase, matches in PHASES.items():
            if matches(method, collection, doc_id):
                phases[phase].append(n)
    assert all(phases.values()), phases
    return {"state": state, "phases": phases}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("phase", list(PHASES))
def test_a_dead_instance_and_a_lost_message_are_recovered_by_the_sweep(  # type: ignore[no-untyped-def]
    cloud_factory, clean, phase: str, seed: int
) -> None:
    points = clean["phases"][phase]
    die_after = random.Random(f"{phase}-{seed}").randint(points[0], points[-1])
    cloud = cloud_factory(f"{phase}{seed}", die_after=die_after)
    try:
        cloud.ingest()
    except Died:
        cloud.store.revive()
        cloud.ingest(retry=True)  # the scraper retries the page
    else:
        cloud.deliver_until_quiet()
        assert cloud.lost == 1, f"dying after write {die_after} should lose one message"
    cloud.clock.advance(seconds=(STUCK + timedelta(minutes=1)).total_seconds())
    cloud.tick()
    cloud.deliver_until_quiet()
    assert_same_end(cloud.state(), clean["state"], f"died after write {die_after} ({phase})")
    cloud.clock.advance(seconds=(STUCK + timedelta(minutes=1)).total_seconds())
    recovered = cloud.state()
    cloud.tick()  # a later tick finds nothing left and changes nothing
    cloud.deliver_until_quiet()
    assert cloud.state() == recovered
