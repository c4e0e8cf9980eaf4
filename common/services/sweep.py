"""The sweep: every stage's unfinished work, found from the store's states and triggered again.

The store is the truth, the bus only a trigger. A lost message, a crash or a SIGKILL leaves a
record in a non-final state; the sweep finds it and publishes its id again to the topic whose
handler finishes it. Handlers are idempotent (claims with leases, the outbox's exactly-once
rules: a ``sending`` record is reconciled with the mailbox before anything is sent again), so
a message the sweep adds beside one still in flight does no work twice.

Each kind of pending work is one row of :data:`STAGES`: which records (collection, state),
since when they are in that state (a time field, also the field of the range query and its
order), how long before they count as stuck, the topic that finishes them, and the lease
record that guards the work. A record is skipped while that lease is live, while its own
``not_before`` is in the future, and (in the cloud) while its retry backoff runs.

* In the cloud (:func:`sweep`, ``local=False``) a scheduled ``{"sweep": true}`` on each
  stage's topic makes the function serving that topic republish its own stuck work: records
  older than ``stuck_after`` (longer than the lease), oldest first, ``PAGE`` at a time and at
  most ``MAX_PAGES`` pages per stage (the next tick goes on). A record republished without
  progress waits twice as long each time (up to a day), so work that fails for good costs one
  dead letter a day, not one per tick; the marker in ``sweeps`` is also the gate that lets one
  of two concurrent sweeps publish an item.
* Locally (``local=True``: ``autoapply run`` / ``resume``) every pending record counts, at
  once, and a lease whose owner process has died (``is_dead``) is released first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from common.clock import iso, parse_iso
from common.domain.application import ApplicationStatus
from common.domain.job import JobStatus
from common.errors import ConflictError
from common.events import APPLICATIONS_READY, JOBS_INGESTED, JOBS_MATCHED
from common.logging import get_logger
from common.outreach.outbox import SENDING
from common.ports import Clock, DocumentStore, MessageBus, Where
from common.store.collections import APPLICATIONS, CLAIMS, JOBS, OUTBOX, SWEEPS
from common.store.lease import expires, held, release

log = get_logger("sweep")

#: work in a non-final state this long is stuck: longer than every lease that guards it
#: (analysis and documents: 5 min; the outbox: ``sending.lease_seconds``, 300 s by default,
#: whose live leases are checked on the record itself)
STUCK = timedelta(minutes=10)
#: the longest wait between two republications of an item that makes no progress
MAX_BACKOFF = timedelta(days=1)
#: records read per query in the cloud (oldest first), and pages read per stage and sweep
PAGE = 1000
MAX_PAGES = 5


@dataclass(frozen=True)
class Stage:
    """One kind of pending work."""

    name: str
    label: str  # for people: "jobs to analyze"
    collection: str
    field: str  # the state field
    state: str
    since: str  # time the record entered the state (or became due): range filter and order
    stuck_after: timedelta
    topic: str
    key: str  # the message's list of ids
    lease: tuple[str, str]  # (collection, id prefix) of the lease record guarding the work
    batch: int = 100  # ids per message

    def where(self, cutoff: datetime) -> list[Where]:
        """Records in this state since ``cutoff`` or earlier."""
        return [Where(self.field, "==", self.state), Where(self.since, "<=", iso(cutoff))]

    def index(self) -> tuple[str, tuple[str, str]]:
        """The Firestore composite index the query needs: (collection, (state, since)),
        both ascending."""
        return self.collection, (self.field, self.since)

    def lease_key(self, item_id: str) -> str:
        return self.lease[1] + item_id


_ANALYSIS = (CLAIMS, "analyze:")  # common/services/analyze.py: run_once(f"analyze:{job_id}")
_DOCUMENTS = (CLAIMS, "documents:")  # common/services/documents.py
_DELIVERY = (OUTBOX, "")  # the outbox record of the application is its lease

STAGES: tuple[Stage, ...] = (
    Stage("ingested", "jobs to analyze", JOBS, "status", JobStatus.INGESTED.value,
          "ingested_at", STUCK, JOBS_INGESTED, "job_ids", _ANALYSIS),
    Stage("waiting", "jobs waiting for the Gemini budget, now due", JOBS, "status",
          JobStatus.WAITING.value, "not_before", timedelta(0), JOBS_INGESTED, "job_ids",
          _ANALYSIS),
    Stage("matched", "matches without documents", JOBS, "status", JobStatus.MATCHED.value,
          "updated_at", STUCK, JOBS_MATCHED, "job_ids", _DOCUMENTS),
    Stage("pending", "applications to deliver", APPLICATIONS, "status",
          ApplicationStatus.PENDING.value, "updated_at", STUCK, APPLICATIONS_READY,
          "application_ids", _DELIVERY, batch=20),
    Stage("deferred", "deferred applications now due", APPLICATIONS, "status",
          ApplicationStatus.DEFERRED.value, "not_before", timedelta(0), APPLICATIONS_READY,
          "application_ids", _DELIVERY, batch=20),
    Stage("sending", "interrupted deliveries (reconciled first)", OUTBOX, "state", SENDING,
          "claimed_at", STUCK, APPLICATIONS_READY, "application_ids", _DELIVERY, batch=20),
)  # fmt: skip


@dataclass
class StageReport:
    """What the sweep saw of one stage."""

    found: int = 0  # records in the state (old enough)
    published: int = 0  # ids sent to the topic
    busy: int = 0  # a live lease: another attempt is at it
    waiting: int = 0  # not due yet: own not_before, or the retry backoff
    released: int = 0  # leases of dead local processes given up
    approvals: int = 0  # an interrupted approval: `autoapply approve` again takes it over

    def to_dict(self) -> dict[str, int]:
        """The counts that are not zero."""
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class SweepReport:
    """The sweep's counts per stage."""

    stages: dict[str, StageReport] = field(default_factory=dict)

    @property
    def published(self) -> int:
        """Ids published, over every stage."""
        return sum(s.published for s in self.stages.values())

    def describe(self) -> list[str]:
        """For people: ``"3 jobs to analyze"``, one line per stage that had work."""
        labels = {s.name: s.label for s in STAGES}
        lines = []
        for name, rep in self.stages.items():
            parts = [f"{rep.published} {labels.get(name, name)}"]
            if rep.busy:
                parts.append(f"{rep.busy} held by another running process")
            if rep.approvals:
                parts.append(
                    f"{rep.approvals} interrupted approvals (run `autoapply approve` again)"
                )
            if rep.published or rep.busy or rep.approvals:
                lines.append("; ".join(parts))
        return lines

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {name: s.to_dict() for name, s in self.stages.items() if s.to_dict()}


def stages_for(topics: Iterable[str] | None) -> tuple[Stage, ...]:
    """The stages whose work goes to one of ``topics`` (every stage for None)."""
    if topics is None:
        return STAGES
    wanted = set(topics)
    return tuple(s for s in STAGES if s.topic in wanted)


def _not_due(doc: dict[str, Any], now: datetime) -> bool:
    until = doc.get("not_before")
    return bool(until) and parse_iso(str(until)) > now


def _signature(stage: Stage, doc: dict[str, Any]) -> str:
    """The record as the backoff marker remembers it: any change is progress."""
    return "|".join(str(doc.get(k)) for k in (stage.field, stage.since, "not_before"))


def _backing_off(marker: dict[str, Any] | None, signature: str, now: datetime) -> bool:
    """Pure rule: the record was republished, has not changed since, and its wait runs."""
    return (
        marker is not None
        and marker.get("signature") == signature
        and parse_iso(marker["next_at"]) > now
    )


def _backoff_gate(store: DocumentStore, stage: Stage, item_id: str, signature: str,
                  now: datetime) -> bool:  # fmt: skip
    """Whether this sweep may republish ``item_id`` now, recording that it does (one of two
    concurrent sweeps wins; one that loses the record's transaction to another sweep leaves
    the item to it, or to the next sweep). While the record is unchanged the wait doubles
    from ``max(stuck_after, STUCK)`` up to ``MAX_BACKOFF``."""

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if _backing_off(current, signature, now):
            return None
        same = current is not None and current.get("signature") == signature
        count = int(current.get("count", 0)) + 1 if same else 1  # type: ignore[union-attr]
        wait = min(max(stage.stuck_after, STUCK) * 2 ** (count - 1), MAX_BACKOFF)
        return {
            "signature": signature,
            "count": count,
            "swept_at": iso(now),
            "next_at": iso(now + wait),
            "expires_at": expires(now),
        }

    try:
        return store.transact(SWEEPS, f"{stage.name}:{item_id}", step) is not None
    except ConflictError as exc:
        log.info("sweep %s: %s left to a concurrent sweep (%s)", stage.name, item_id, exc)
        return False


Rows = list[tuple[str, dict[str, Any]]]


def _pages(
    store: DocumentStore, stage: Stage, cutoff: datetime, page: int | None
) -> Iterator[Rows]:
    """The stage's records in the state since ``cutoff`` or earlier, oldest first: all at
    once (``page`` None), else page by page with a cursor on ``since``, at most
    ``MAX_PAGES`` pages (the next sweep goes on). After a full page every record sharing its
    last time is read too (a big ingest stores thousands at one time), then the cursor moves
    strictly past that time."""
    fields = (stage.field, stage.since, "not_before")  # never a posting's whole text
    after: str | None = None
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        where = stage.where(cutoff)
        if after is not None:
            where.append(Where(stage.since, ">", after))
        rows = store.query(stage.collection, where, order_by=stage.since, limit=page,
                           fields=fields)  # fmt: skip
        if page is not None and len(rows) >= page:
            after = rows[-1][1][stage.since]
            same = [Where(stage.field, "==", stage.state), Where(stage.since, "==", after)]
            rows += store.query(stage.collection, same, fields=fields)
        fresh = [(i, d) for i, d in dict(rows).items() if i not in seen]
        seen.update(i for i, _ in fresh)
        if fresh:
            yield fresh
        if page is None or len(rows) < page:
            return
    log.warning("sweep %s: more records pending than one sweep reads; the next goes on",
                stage.name)  # fmt: skip


def sweep(
    store: DocumentStore,
    bus: MessageBus,
    clock: Clock,
    *,
    topics: Iterable[str] | None = None,
    local: bool = False,
    is_dead: Callable[[object], bool] | None = None,
    page: int | None = PAGE,
) -> SweepReport:
    """Republish the pending work of the stages of ``topics`` (all by default).

    ``local``: every pending record counts at once and there is no backoff (one process
    finishes its own folder's work); ``is_dead(owner)`` names leases left by dead processes,
    which are released first. Otherwise only records stuck longer than their stage's
    ``stuck_after`` count, with the backoff described in the module docstring. ``page``:
    records read per query (None: all in one).
    """
    now = clock.now()
    report = SweepReport()
    sent: dict[str, set[str]] = {}  # topic -> ids already published by this sweep
    for stage in stages_for(topics):
        rep = report.stages.setdefault(stage.name, StageReport())
        cutoff = now if local else now - stage.stuck_after
        done = sent.setdefault(stage.topic, set())
        for rows in _pages(store, stage, cutoff, page):
            rep.found += len(rows)
            ready = _ready(store, stage, rows, rep, done, now, local, is_dead)
            for start in range(0, len(ready), stage.batch):
                bus.publish(stage.topic, {stage.key: ready[start : start + stage.batch]})
            rep.published += len(ready)
        if rep.to_dict():
            log.info("sweep %s: %s", stage.name, rep.to_dict())
    return report


def _ready(
    store: DocumentStore,
    stage: Stage,
    rows: Rows,
    rep: StageReport,
    done: set[str],
    now: datetime,
    local: bool,
    is_dead: Callable[[object], bool] | None,
) -> list[str]:
    """The ids of ``rows`` to publish now (``done`` grows by them)."""
    leases = store.get_many(stage.lease[0], [stage.lease_key(i) for i, _ in rows])
    markers = {} if local else store.get_many(SWEEPS, [f"{stage.name}:{i}" for i, _ in rows])
    ready: list[str] = []
    for item_id, doc in rows:
        lease = leases.get(stage.lease_key(item_id))
        if lease and lease.get("state") == SENDING and lease.get("purpose") == "approve":
            rep.approvals += 1  # the person's approval: never resumed by a sweep
            _release_dead(store, stage, item_id, lease, is_dead)
            continue
        if held(lease, now):
            if not _release_dead(store, stage, item_id, lease, is_dead):
                rep.busy += 1
                continue
            rep.released += 1
        if item_id in done:
            continue
        if _not_due(doc, now):
            rep.waiting += 1
            continue
        if not local:
            signature = _signature(stage, doc)
            marker = markers.get(f"{stage.name}:{item_id}")
            if _backing_off(marker, signature, now) or not _backoff_gate(
                store, stage, item_id, signature, now
            ):
                rep.waiting += 1
                continue
        ready.append(item_id)
        done.add(item_id)
    return ready


def _release_dead(
    store: DocumentStore,
    stage: Stage,
    item_id: str,
    lease: dict[str, Any],
    is_dead: Callable[[object], bool] | None,
) -> bool:
    """Give up a lease whose owner process has died (an outbox record keeps ``submitted_at``:
    the next attempt reconciles with the mailbox before it sends anything)."""
    owner = lease.get("owner")
    if is_dead is None or not owner or not is_dead(owner):
        return False
    released = release(store, stage.lease_key(item_id), str(owner), collection=stage.lease[0])
    if released:
        log.warning("lease of %s %s left by a dead process: released", stage.name, item_id)
    return released
