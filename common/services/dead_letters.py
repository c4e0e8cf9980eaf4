"""Dead letters: messages that could not be handled, kept so they can be replayed.

Where they come from:

* ``pubsub``: after the subscription's maximum delivery attempts Pub/Sub forwards the message
  to the ``dead-letters`` topic; a push subscription of that topic posts it to the health
  function (``POST /pubsub/dead-letters``), which stores it here;
* ``expired``: a CloudEvent older than ``resilience.max_event_age_seconds`` is dropped (and
  acknowledged) by :func:`common.entry.handle_cloud_event`, and stored here;
* ``local-bus``: the in-process bus gave up on a message.

Each dead letter is stored once (its id is the topic and the message id) and replayed at most
once (``autoapply replay``, claimed with :func:`common.store.lease.run_once`). Messages carry
ids only, so a dead letter holds no personal content.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from common.clock import iso
from common.errors import ValidationError
from common.events import DEAD_LETTERS, TOPIC_ATTRIBUTE, TOPICS, Delivery
from common.log_fields import emit
from common.logging import get_logger
from common.ports import Clock, DocumentStore, MessageBus, Where
from common.store.collections import DEAD_LETTERS as COLLECTION
from common.store.lease import ClaimState, run_once
from common.tracing import TRACE_ATTRIBUTE, continued, from_attributes

log = get_logger("dead_letters")
MAX_MESSAGE = 16 * 1024
_KEPT_ATTRIBUTES = (
    "CloudPubSubDeadLetterSourceDeliveryCount",
    "CloudPubSubDeadLetterSourceSubscription",
    TRACE_ATTRIBUTE,  # a replay continues the message's trace
)
REPLAY_LEASE = timedelta(minutes=5)


def dead_letter_id(topic: str, message_id: str) -> str:
    """The document id of a dead letter (one per topic and message)."""
    return f"{topic}:{message_id}".replace("/", "_")


def record_dead_letter(
    store: DocumentStore,
    clock: Clock,
    *,
    topic: str,
    message: Mapping[str, Any],
    message_id: str,
    reason: str,
    source: str,
    attributes: Mapping[str, str] | None = None,
) -> str:
    """Store a dead letter once (a second report of the same message changes nothing)."""
    if topic not in TOPICS or topic == DEAD_LETTERS:
        raise ValidationError(f"dead letter: unknown topic {topic!r}", field="topic")
    if len(json.dumps(message)) > MAX_MESSAGE:
        raise ValidationError(f"dead letter: message larger than {MAX_MESSAGE} bytes")
    doc_id = dead_letter_id(topic, message_id)
    kept = {k: str(v) for k, v in (attributes or {}).items() if k in _KEPT_ATTRIBUTES}
    created = store.create(
        COLLECTION,
        doc_id,
        {
            "topic": topic,
            "message": dict(message),
            "message_id": message_id,
            "attributes": kept,
            "reason": reason[:300],
            "source": source,
            "dead_at": iso(clock.now()),
            "replayed": False,
            "replayed_at": None,
        },
    )
    if created:
        emit(
            log,
            "dead_letter",
            "dead letter %s (%s): %s",
            doc_id,
            source,
            reason[:300],
            level=logging.ERROR,
            topic=topic,
            source=source,
        )
    return doc_id


def from_dead_letter_push(store: DocumentStore, clock: Clock, delivery: Delivery) -> str:
    """Store a message Pub/Sub forwarded to the ``dead-letters`` topic."""
    topic = delivery.attributes.get(TOPIC_ATTRIBUTE)
    if not topic:
        raise ValidationError(
            f"dead letter: attribute {TOPIC_ATTRIBUTE!r} (the original topic) is missing",
            field=TOPIC_ATTRIBUTE,
        )
    count = delivery.attributes.get("CloudPubSubDeadLetterSourceDeliveryCount", "?")
    return record_dead_letter(
        store,
        clock,
        topic=topic,
        message=delivery.message,
        message_id=delivery.event_id,
        reason=f"undeliverable after {count} delivery attempts",
        source="pubsub",
        attributes=delivery.attributes,
    )


@dataclass
class ReplayReport:
    """What one ``autoapply replay`` did."""

    replayed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # replayed already, or being replayed

    def to_dict(self) -> dict[str, Any]:
        return {"replayed": self.replayed, "skipped": self.skipped}


def pending(store: DocumentStore, topic: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Dead letters not replayed yet, oldest first."""
    where = [Where("replayed", "==", False)]
    if topic:
        where.append(Where("topic", "==", topic))
    return sorted(store.query(COLLECTION, where), key=lambda pair: pair[1].get("dead_at") or "")


def replay(
    store: DocumentStore,
    bus: MessageBus,
    clock: Clock,
    *,
    topic: str | None = None,
    limit: int | None = None,
) -> ReplayReport:
    """Re-publish pending dead letters to their topics, each at most once."""
    report = ReplayReport()
    for doc_id, doc in pending(store, topic)[:limit]:

        def work(doc_id: str = doc_id, doc: dict[str, Any] = doc) -> dict[str, Any]:
            with continued(from_attributes(doc.get("attributes"))):
                new_id = bus.publish(doc["topic"], doc["message"], {"replay_of": doc_id})
            store.update(COLLECTION, doc_id, {"replayed": True, "replayed_at": iso(clock.now())})
            return {"message_id": new_id}

        state = run_once(store, f"replay:{doc_id}", clock.now(), REPLAY_LEASE, work)
        (report.replayed if state is ClaimState.ACQUIRED else report.skipped).append(doc_id)
    return report
