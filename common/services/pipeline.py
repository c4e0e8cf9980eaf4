"""The whole pipeline in one process: the embedded defaults and the in-process bus."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.adapters.bus_local import LocalBus
from common.adapters.dataset_file import iter_dataset_file
from common.errors import ConfigError
from common.handlers import HANDLERS
from common.runtime import Runtime
from common.services.ingest import IngestReport, ingest_items
from common.store.collections import APPLICATIONS, JOBS


@dataclass
class PipelineSummary:
    """What one local run did."""

    ingest: IngestReport
    jobs: Counter[str] = field(default_factory=Counter)
    applications: Counter[str] = field(default_factory=Counter)
    deliveries: list[str] = field(default_factory=list)
    dead_letters: int = 0


def attach_handlers(rt: Runtime) -> LocalBus:
    """Subscribe every topic's handler to the runtime's in-process bus."""
    if not isinstance(rt.bus, LocalBus):
        raise ConfigError("the local pipeline needs backends.bus 'local'", field="backends.bus")
    bus = rt.bus
    for topic, handler in HANDLERS.items():
        bus.subscribe(topic, lambda message, _attrs, handler=handler: handler(message, rt))
    return bus


def run_files(
    rt: Runtime, paths: Iterable[str | Path], actor: str | None = None
) -> PipelineSummary:
    """Ingest dataset files and run every stage until the bus is empty."""
    bus = attach_handlers(rt)
    report = IngestReport()
    for path in paths:
        part = ingest_items(
            iter_dataset_file(path), store=rt.store, bus=bus, now=rt.clock.now(), actor=actor
        )
        report.merge(part)
    bus.drain()
    return summarize(rt, report, dead_letters=len(bus.dead_letters))


def summarize(rt: Runtime, report: IngestReport, dead_letters: int = 0) -> PipelineSummary:
    """Count jobs and applications by status, and list the deliveries."""
    summary = PipelineSummary(ingest=report, dead_letters=dead_letters)
    for _, doc in rt.store.query(JOBS):
        summary.jobs[str(doc.get("status"))] += 1
    for _, doc in rt.store.query(APPLICATIONS):
        summary.applications[str(doc.get("status"))] += 1
        if doc.get("delivery"):
            summary.deliveries.append(str(doc["delivery"]))
    return summary


def summary_dict(summary: PipelineSummary) -> dict[str, Any]:
    """A JSON-safe view of a summary."""
    return {
        "ingest": summary.ingest.to_dict(),
        "jobs": dict(summary.jobs),
        "applications": dict(summary.applications),
        "deliveries": sorted(summary.deliveries),
        "dead_letters": summary.dead_letters,
    }
