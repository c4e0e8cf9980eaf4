"""Topics and the decoding of Pub/Sub CloudEvents. Messages carry ids only."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from common.errors import ValidationError
from common.jsonsafe import loads

JOBS_INGESTED = "jobs-ingested"
JOBS_MATCHED = "jobs-matched"
APPLICATIONS_READY = "applications-ready"
DEAD_LETTERS = "dead-letters"
#: the scrape function's own continuation of a large dataset: {"run_id", "offset"}
INGEST_CONTINUE = "ingest-continue"
TOPICS = (JOBS_INGESTED, JOBS_MATCHED, APPLICATIONS_READY, DEAD_LETTERS, INGEST_CONTINUE)
#: the attribute every published message carries: its logical topic (for dead letters)
TOPIC_ATTRIBUTE = "autoapply_topic"


@dataclass(frozen=True)
class Delivery:
    """One Pub/Sub message as a function receives it."""

    event_id: str
    message: dict[str, Any]
    attributes: dict[str, str]
    publish_time: str | None


def decode_pubsub(data: Any, event_id: str) -> Delivery:
    """Decode a ``messagePublished`` CloudEvent's data (or a raw push body) into a Delivery."""
    if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
        raise ValidationError("event data: expected an object with a 'message' object")
    msg = data["message"]
    try:
        raw = base64.b64decode(msg.get("data") or "", validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise ValidationError(f"message.data: expected base64 of a JSON object ({exc})") from exc
    payload = loads(raw or b"{}", "message.data")
    if not isinstance(payload, dict):
        raise ValidationError("message.data: expected a JSON object")
    attrs = msg.get("attributes") or {}
    if not isinstance(attrs, dict):
        raise ValidationError("message.attributes: expected an object of strings")
    return Delivery(
        event_id=str(msg.get("messageId") or msg.get("message_id") or event_id),
        message=payload,
        attributes={str(k): str(v) for k, v in attrs.items()},
        publish_time=msg.get("publishTime") or msg.get("publish_time"),
    )


def topic_of(delivery: Delivery, source: str | None, prefix: str = "") -> str | None:
    """The logical topic of a delivery: its attribute, else the CloudEvent source's topic."""
    if delivery.attributes.get(TOPIC_ATTRIBUTE):
        return delivery.attributes[TOPIC_ATTRIBUTE]
    name = (source or "").rsplit("/topics/", 1)
    if len(name) != 2:
        return None
    topic = name[1].removeprefix(prefix)
    return topic if topic in TOPICS else None


def require_ids(message: dict[str, Any], key: str) -> list[str]:
    """The list of ids under ``key`` (a single id under the singular key also works)."""
    singular = key.removesuffix("s")
    value = message.get(key, [message[singular]] if singular in message else None)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValidationError(f"message: expected '{key}' as a non-empty list of ids", field=key)
    return value
