"""The cloud message bus: Pub/Sub (``google-cloud-pubsub``) publisher.

Retries: the publisher client retries publishes on its own (its default retry settings);
nothing else retries. ``PUBSUB_EMULATOR_HOST`` points it at the emulator.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from common.adapters.google_errors import google_call
from common.events import TOPIC_ATTRIBUTE
from common.ports import Doc
from common.settings import require_setting
from common.tracing import inject


class PubSubBus:
    """:class:`common.ports.MessageBus` on Pub/Sub topics ``{prefix}{topic}``."""

    def __init__(self, project: str | None, prefix: str = "", client: Any = None) -> None:
        project = require_setting(project, "gcp.project", "GOOGLE_CLOUD_PROJECT", "Pub/Sub")
        if client is None:
            from google.cloud import pubsub_v1

            with google_call("pubsub client"):
                client = pubsub_v1.PublisherClient()
        self.client = client
        self.project = project
        self.prefix = prefix

    def topic_path(self, topic: str) -> str:
        """The full topic name."""
        return f"projects/{self.project}/topics/{self.prefix}{topic}"

    def publish(self, topic: str, message: Doc, attributes: Mapping[str, str] | None = None) -> str:
        data = json.dumps(message, separators=(",", ":")).encode()
        # the logical topic travels with the message, so a dead letter can be replayed; the
        # trace, so the next function's lines join the job's journey
        attrs = {TOPIC_ATTRIBUTE: topic, **inject(attributes)}
        with google_call(f"pubsub publish {topic}"):
            future = self.client.publish(self.topic_path(topic), data, **attrs)
            return str(future.result(timeout=60))
