"""The whole pipeline in one process: the embedded defaults and the in-process bus.

A run first finishes what the store says is unfinished (:func:`resume`: the sweep of
``common.services.sweep`` with dead processes' leases taken over), then ingests its files,
then drains the bus; an error in one file does not strand the others' jobs.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.adapters.bus_local import LocalBus
from common.adapters.dataset_file import iter_dataset_file
from common.errors import AutoapplyError, ConfigError
from common.handlers import HANDLERS
from common.runtime import Runtime
from common.services.ingest import IngestReport, ingest_items
from common.services.status import Status, current_status
from common.services.sweep import SweepReport, sweep
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
    resumed: SweepReport = field(default_factory=SweepReport)
    #: input files that could not be read: "path: why" (the others were processed)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe view."""
        return {
            "ingest": self.ingest.to_dict(),
            **self.status.to_dict(),
            "deliveries": sorted(self.deliveries),
            "dead_letters": self.dead_letters,
            "resumed": self.resumed.to_dict(),
            "errors": self.errors,
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


def drain(bus: LocalBus, progress: Progress | None = None, stage: str = "pipeline") -> None:
    """Run the handlers until the in-process bus is empty."""
    handled = 0
    while bus.queue:
        handled += bus.drain_one()
        if progress:
            progress(stage, handled, handled + len(bus.queue))


def resume(rt: Runtime, progress: Progress | None = None) -> SweepReport:
    """Finish the unfinished work the store holds (a crash, a kill, a failed run): every
    pending record of every stage is published again and handled until the bus is empty.
    Leases of dead local processes are taken over at once; live ones are left alone."""
    bus = attach_handlers(rt)
    is_dead = rt.processes.owner_is_dead if rt.processes else None
    report = sweep(rt.store, bus, rt.clock, local=True, is_dead=is_dead, page=None)
    drain(bus, progress, "resume")
    return report


def resume_only(rt: Runtime, progress: Progress | None = None) -> PipelineSummary:
    """``autoapply resume``: :func:`resume`, and where everything stands after it."""
    rt.profile()  # a missing or invalid profile fails here, before anything changes
    resumed = resume(rt, progress)
    summary = summarize(rt, IngestReport(), dead_letters=len(attach_handlers(rt).dead_letters))
    summary.resumed = resumed
    return summary


def file_claim(path: Path) -> str:
    """The dedup claimant of a dataset file: the same for the same file, so that reading it
    again after a crash takes over the dedup keys the killed run had claimed."""
    stat = path.stat()
    return (
        "file-"
        + hashlib.sha256(
            f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()
        ).hexdigest()[:24]
    )


def run_files(
    rt: Runtime,
    paths: Iterable[str | Path],
    actor: str | None = None,
    progress: Progress | None = None,
) -> PipelineSummary:
    """Finish unfinished work, ingest dataset files, and run every stage until the bus is
    empty (one trace per run). A file that cannot be read is reported; the others go on."""
    rt.profile()  # a missing or invalid profile fails here, before anything is stored
    with span():
        return _run_files(rt, paths, actor, progress)


def _run_files(
    rt: Runtime, paths: Iterable[str | Path], actor: str | None, progress: Progress | None
) -> PipelineSummary:
    bus = attach_handlers(rt)
    resumed = resume(rt, progress)
    report = IngestReport()
    errors: list[str] = []
    paths = [Path(p) for p in paths]
    try:
        for done, path in enumerate(paths, 1):
            try:
                part = ingest_items(
                    iter_dataset_file(path),
                    store=rt.store,
                    bus=bus,
                    now=rt.clock.now(),
                    actor=actor,
                    claim=file_claim(path) if path.is_file() else None,
                )
                report.merge(part)
            except AutoapplyError as exc:
                where = "" if str(path) in exc.message else f"{path}: "
                errors.append(where + exc.message)
            if progress:
                progress("ingest", done, len(paths))
    except Exception:  # what was stored still goes through every stage
        drain(bus, progress)
        raise
    drain(bus, progress)
    summary = summarize(rt, report, dead_letters=len(bus.dead_letters))
    summary.resumed, summary.errors = resumed, errors
    return summary


def summarize(rt: Runtime, report: IngestReport, dead_letters: int = 0) -> PipelineSummary:
    """Count jobs and applications by status, and list the deliveries."""
    deliveries = [
        str(doc["delivery"]) for _, doc in rt.store.query(APPLICATIONS) if doc.get("delivery")
    ]
    return PipelineSummary(report, current_status(rt.store), deliveries, dead_letters)
