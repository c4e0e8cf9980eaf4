"""The embedded message bus: an in-process FIFO queue with subscribers.

``publish`` only enqueues (with the current trace in the attributes, as on Pub/Sub);
``drain`` delivers in order until the queue is empty, the way Pub/Sub would push to each
function. Only pending messages are kept: a delivered one is dropped (a large ingest would
otherwise hold every message it ever published). A handler that raises a retryable error
gets the message again (up to ``max_attempts``); after that, or on a permanent error, the
message is kept in ``dead_letters`` and passed to ``on_dead_letter`` (the pipeline stores it).
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from common.errors import AutoapplyError
from common.logging import get_logger
from common.ports import Doc, Handler
from common.tracing import inject

log = get_logger("bus")


@dataclass
class Envelope:
    """One published message, as a subscriber receives it."""

    id: str
    topic: str
    message: Doc
    attributes: dict[str, str]
    attempts: int = 0


@dataclass
class LocalBus:
    """:class:`common.ports.MessageBus` in one process."""

    max_attempts: int = 5
    handlers: dict[str, list[Handler]] = field(default_factory=dict)
    queue: deque[Envelope] = field(default_factory=deque)
    dead_letters: list[tuple[Envelope, str]] = field(default_factory=list)
    on_dead_letter: Callable[[Envelope, str], None] | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Deliver every later message on ``topic`` to ``handler``."""
        self.handlers.setdefault(topic, []).append(handler)

    def publish(self, topic: str, message: Doc, attributes: Mapping[str, str] | None = None) -> str:
        with self._lock:
            env = Envelope(str(next(self._ids)), topic, dict(message), inject(attributes))
            self.queue.append(env)
        return env.id

    def drain(self) -> int:
        """Deliver queued messages until none is left; returns how many were handled."""
        handled = 0
        while self.drain_one():
            handled += 1
        return handled

    def drain_one(self) -> int:
        """Deliver the next queued message, if any; returns 1 if one was handled, else 0."""
        with self._lock:
            if not self.queue:
                return 0
            env = self.queue.popleft()
        env.attempts += 1
        for handler in self.handlers.get(env.topic, []):
            try:
                handler(env.message, env.attributes)
            except AutoapplyError as exc:
                if exc.retryable and env.attempts < self.max_attempts:
                    log.warning("redelivering %s message %s: %s", env.topic, env.id, exc)
                    self.queue.append(env)
                else:
                    self.give_up(env, str(exc))
                break
        return 1

    def give_up(self, env: Envelope, reason: str) -> None:
        """Stop delivering ``env``: keep it as a dead letter (and tell ``on_dead_letter``)."""
        log.error("dead letter %s message %s: %s", env.topic, env.id, reason)
        self.dead_letters.append((env, reason))
        if self.on_dead_letter:
            self.on_dead_letter(env, reason)


class NullBus:
    """:class:`common.ports.MessageBus` that delivers nowhere: for a process that only
    ingests (``autoapply ingest`` on the embedded defaults), where no subscriber will ever
    run and the store, not the bus, says which jobs wait for analysis."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def publish(self, topic: str, message: Doc, attributes: Mapping[str, str] | None = None) -> str:
        return str(next(self._ids))
