"""The whole pipeline in one process: the embedded defaults and the in-process bus."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.adapters.bus_local import LocalBus
from common.adapters.dataset_file import iter_dataset_file
from common.errors import ConfigError
from common.handlers import HANDLERS
from common.runtime import Runtime
from common.services.ingest import IngestReport, ingest_items
from common.services.status import Status, current_status
from common.store.collections import APPLICATIONS
from common.tracing import continued, from_attributes, span

#: progress callback: (stage, done, total or None)
Progress = Callable[[str, int, int | None], None]


@dataclass
class PipelineSummary:
    """What one local run did, and where everything stands after it."""

    ingest: IngestReport
    status: Status
    deliveries: list[str] = field(default_factory=list)
    dead_letters: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe view."""
        return {
            "ingest": self.ingest.to_dict(),
            **self.status.to_dict(),
            "deliveries": sorted(self.deliveries),
            "dead_letters": self.dead_letters,
        }


def attach_handlers(rt: Runtime) -> LocalBus:
    """Subscribe every topic's handler to the runtime's in-process bus (once)."""
    if not isinstance(rt.bus, LocalBus):
        raise ConfigError("the local pipeline needs backends.bus 'local'", field="backends.bus")
    bus = rt.bus
    for topic, handler in HANDLERS.items():
        if not bus.handlers.get(topic):
            bus.subscribe(topic, functools.partial(_deliver, handler, rt))
    return bus


def _deliver(handler: Any, rt: Runtime, message: dict[str, Any], attrs: dict[str, str]) -> None:
    """Run a topic's handler in the trace its message carries, as a function would."""
    with continued(from_attributes(attrs)):
        handler(message, rt)


def run_files(
    rt: Runtime,
    paths: Iterable[str | Path],
    actor: str | None = None,
    progress: Progress | None = None,
) -> PipelineSummary:
    """Ingest dataset files and run every stage until the bus is empty (one trace per run)."""
    rt.profile()  # a missing or invalid profile fails here, before anything is stored
    with span():
        return _run_files(rt, paths, actor, progress)


def _run_files(
    rt: Runtime, paths: Iterable[str | Path], actor: str | None, progress: Progress | None
) -> PipelineSummary:
    bus = attach_handlers(rt)
    report = IngestReport()
    paths = list(paths)
    for done, path in enumerate(paths, 1):
        part = ingest_items(
            iter_dataset_file(path), store=rt.store, bus=bus, now=rt.clock.now(), actor=actor
        )
        report.merge(part)
        if progress:
            progress("ingest", done, len(paths))
    handled = 0
    while bus.queue:
        handled += bus.drain_one()
        if progress:
            progress("pipeline", handled, handled + len(bus.queue))
    return summarize(rt, report, dead_letters=len(bus.dead_letters))


def summarize(rt: Runtime, report: IngestReport, dead_letters: int = 0) -> PipelineSummary:
    """Count jobs and applications by status, and list the deliveries."""
    deliveries = [
        str(doc["delivery"]) for _, doc in rt.store.query(APPLICATIONS) if doc.get("delivery")
    ]
    return PipelineSummary(report, current_status(rt.store), deliveries, dead_letters)
