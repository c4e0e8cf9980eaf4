"""Pub/Sub delivery on a fake clock: redelivery with backoff, then a dead letter.

Messages go through the real entry point (:func:`common.entry.handle_cloud_event`) as
binary-mode CloudEvents; a raised error is a failed push, redelivered after ``backoff``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cloudevents.http import CloudEvent

from common.entry import handle_cloud_event
from common.runtime import Runtime
from tests.helpers.cloudevents import pubsub_request


def cloud_event(message: dict[str, Any], topic: str, published: datetime, **kw: Any) -> CloudEvent:
    """The CloudEvent functions-framework would build from a Pub/Sub push."""
    headers, body = pubsub_request(message, topic=topic, published=published, **kw)
    attributes = {k[3:]: v for k, v in headers.items() if k.startswith("ce-")}
    return CloudEvent(attributes, json.loads(body))


@dataclass
class Pending:
    message: dict[str, Any]
    not_before: datetime
    attempts: int = 0


@dataclass
class PubSubSim:
    """One subscription: delivers in time order, redelivers failures after ``backoff``."""

    rt: Runtime
    handler: Callable[[dict[str, Any], Runtime], Any]
    topic: str = "jobs-ingested"
    backoff: timedelta = timedelta(seconds=10)
    max_deliveries: int = 50
    pending: list[Pending] = field(default_factory=list)
    dead: list[Pending] = field(default_factory=list)
    failed_pushes: int = 0

    def publish(self, message: dict[str, Any]) -> None:
        self.pending.append(Pending(message, self.rt.clock.now()))

    def run(self, after_each: Callable[[], None] | None = None) -> None:
        """Deliver until nothing is pending (the clock jumps to the next due message)."""
        clock = self.rt.clock
        while self.pending:
            self.pending.sort(key=lambda p: p.not_before)
            item = self.pending.pop(0)
            if item.not_before > clock.now():
                clock.advance(seconds=(item.not_before - clock.now()).total_seconds())  # type: ignore[attr-defined]
            item.attempts += 1
            event = cloud_event(item.message, self.topic, published=clock.now())
            try:
                handle_cloud_event(event, "test", self.handler, runtime=lambda: self.rt)
            except Exception:
                self.failed_pushes += 1
                if item.attempts >= self.max_deliveries:
                    self.dead.append(item)
                else:
                    item.not_before = clock.now() + self.backoff
                    self.pending.append(item)
            if after_each:
                after_each()
