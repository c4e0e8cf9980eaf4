"""generate_applications: a batch written with worker processes (real spawn pool, SQLite,
a folder as object store, real typst) writes each application exactly once, loses none, and
writes the same files as one application at a time."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from common.adapters.bus_local import LocalBus
from common.adapters.objects_local import LocalObjectStore
from common.adapters.store_sqlite import SqliteStore
from common.errors import NotFoundError, ValidationError
from common.events import APPLICATIONS_READY
from common.services import documents
from common.services.documents import (
    POOL_MIN_JOBS,
    application_id,
    generate_application,
    generate_applications,
    pool_size,
)
from common.store.collections import ANALYSES, APPLICATIONS, JOBS
from tests.helpers import documents as sample

JOBS_IN_BATCH = POOL_MIN_JOBS + 4
COMPANIES = ["Odra Energy", "Elbe Analytics", "Vistula Data", "Warta Systems"]


class CountingObjects(LocalObjectStore):
    """A folder that counts the writes of each key, in whatever process they happen (each
    write appends its key to a log next to the folder)."""

    @property
    def log(self) -> Path:
        return self.root.parent / "puts.log"

    def put(self, key: str, data: bytes, content_type: str = "") -> str:  # type: ignore[override]
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(f"{key} {os.getpid()}\n")
        return super().put(key, data, content_type)

    def _lines(self) -> list[list[str]]:
        return (
            [ln.split() for ln in self.log.read_text("utf-8").splitlines()]
            if self.log.exists()
            else []
        )

    @property
    def puts(self) -> Counter[str]:
        return Counter(key for key, _ in self._lines())

    def writers(self, prefix: str) -> set[int]:
        """The processes that wrote keys under ``prefix``."""
        return {int(pid) for key, pid in self._lines() if key.startswith(prefix)}

    def forget(self) -> None:
        self.log.unlink(missing_ok=True)


def seed(store: SqliteStore, count: int) -> list[str]:
    ids = []
    for i in range(count):
        job_id = f"job-{i}"
        job = sample.job(job_id, company=f"{COMPANIES[i % 4]} {i}", title=f"Data Engineer {i % 3}")
        store.put(JOBS, job_id, job.to_doc())
        store.put(ANALYSES, job_id, sample.analysis(job_id).to_doc())
        ids.append(job_id)
    return ids


#: what typst writes from the clock of the compile: the time (to the second, in the info
#: dictionary and the XMP) and the instance id made with it, the second /ID of the trailer and
#: in the XMP. Two compiles of the same page differ only there, whatever process made them.
STAMPS = re.compile(rb"D:\d{14}Z|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
INSTANCE = re.compile(rb"/ID\[\([^)]*\)\(([^)]*)\)\]")


def unstamped(data: bytes) -> bytes | dict[str, bytes]:
    """A file without what the clock of its writing put in it; a DOCX as its parts (a ZIP
    entry carries the time it was written)."""
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {name: package.read(name) for name in package.namelist()}
    instance = INSTANCE.search(data)
    if instance is not None:
        data = data.replace(instance.group(1), b"")
    return STAMPS.sub(b"", data)


def app_files(objects: LocalObjectStore, job_id: str) -> dict[str, object]:
    prefix = f"applications/{application_id(job_id)}/"
    return {key[len(prefix) :]: unstamped(objects.get(key)) for key in objects.list(prefix)}


@pytest.fixture
def batch(tmp_path: Path, clock):  # type: ignore[no-untyped-def]
    store = SqliteStore(tmp_path / "state.sqlite3")
    objects = CountingObjects(tmp_path / "objects")
    ids = seed(store, JOBS_IN_BATCH)
    yield store, objects, ids
    store.close()


def run(store, objects, clock, ids, **kwargs):  # type: ignore[no-untyped-def]
    bus = LocalBus()
    results = generate_applications(
        ids, store=store, objects=objects, bus=bus, clock=clock, profile=sample.profile(), **kwargs
    )
    return results, bus


def test_pool_writes_each_application_once_and_loses_none(batch, clock) -> None:
    store, objects, ids = batch
    results, bus = run(store, objects, clock, [*ids, ids[0]], workers=2)  # one id twice
    assert results == {job_id: "generated" for job_id in ids}
    published = Counter(e.message["application_id"] for e in bus.queue)
    assert all(e.topic == APPLICATIONS_READY for e in bus.queue)
    assert published == Counter({application_id(job_id): 1 for job_id in ids})
    app_puts = {k: n for k, n in objects.puts.items() if k.startswith("applications/")}
    assert len(app_puts) == 5 * len(ids) and set(app_puts.values()) == {1}
    for job_id in ids:
        assert store.get(APPLICATIONS, application_id(job_id))["job_id"] == job_id
        assert store.get(JOBS, job_id)["status"] == "documents_ready"
        assert len(app_files(objects, job_id)) == 5

    # again: every one is already generated; nothing is written or published
    objects.forget()
    results, bus = run(store, objects, clock, ids, workers=2)
    assert results == {job_id: "already generated" for job_id in ids}
    assert not bus.queue and not objects.puts


def test_pool_writes_the_same_files_as_one_at_a_time(batch, clock, tmp_path: Path) -> None:
    store, objects, ids = batch
    run(store, objects, clock, ids, workers=2)
    alone_store = SqliteStore(tmp_path / "alone.sqlite3")
    alone = LocalObjectStore(tmp_path / "alone")
    seed(alone_store, len(ids))
    for job_id in ids:
        generate_application(
            job_id,
            store=alone_store,
            objects=alone,
            bus=LocalBus(),
            clock=clock,
            profile=sample.profile(),
        )
    for job_id in ids:
        files = app_files(objects, job_id)
        assert len(files) == 5 and files == app_files(alone, job_id), job_id
        pooled = store.get(APPLICATIONS, application_id(job_id))
        single = alone_store.get(APPLICATIONS, application_id(job_id))
        assert pooled == single
    alone_store.close()


def test_pool_forced_regeneration_writes_each_once_more(batch, clock) -> None:
    store, objects, ids = batch
    run(store, objects, clock, ids, workers=2)
    objects.forget()
    results, bus = run(store, objects, clock, ids, workers=2, force=True)
    assert results == {job_id: "regenerated" for job_id in ids}
    assert len(bus.queue) == len(ids)
    assert set(objects.puts.values()) == {1} and len(objects.puts) == 5 * len(ids)
    # a forced batch on a folder: the workers wrote the files, this process the records
    assert os.getpid() not in objects.writers("applications/")
    for job_id in ids:
        assert len(app_files(objects, job_id)) == 5


def test_a_failing_job_is_reported_and_the_others_written(batch, clock) -> None:
    store, objects, ids = batch
    objects.put("templates/letter.typ", b"#let x = (", "text/plain")  # does not compile
    store.delete(JOBS, ids[1])
    results, _ = run(store, objects, clock, ids, workers=2)
    assert isinstance(results.pop(ids[1]), NotFoundError)
    assert all(isinstance(error, ValidationError) for error in results.values())
    objects.put("templates/letter.typ", documents.Templates().get("letter.typ"), "text/plain")
    results, bus = run(store, objects, clock, ids, workers=2)
    assert isinstance(results.pop(ids[1]), NotFoundError)
    assert set(results.values()) == {"generated"} and len(bus.queue) == len(ids) - 1


def _broken_start(*args: object) -> None:
    raise RuntimeError("this worker cannot start")


def test_a_broken_pool_leaves_the_batch_to_this_process(batch, clock, monkeypatch) -> None:
    store, objects, ids = batch
    monkeypatch.setattr(documents, "_start_worker", _broken_start)  # every worker dies
    results, bus = run(store, objects, clock, ids, workers=2)
    assert results == {job_id: "generated" for job_id in ids}
    assert len(bus.queue) == len(ids) and set(objects.puts.values()) == {1}


def test_small_batches_and_single_cores_are_written_here() -> None:
    assert pool_size(POOL_MIN_JOBS - 1, 4) == 0
    assert pool_size(1000, 1) == 0
    assert pool_size(POOL_MIN_JOBS, 2) == 2
