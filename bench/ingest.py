"""Ingest benchmark on real-posting replicas, each figure beside its raw baseline in the same run.

Datasets are ``bebity/linkedin-jobs-scraper`` replicas (``tests/helpers/replicas.py``: about
8.7 KB per item, HTML and text descriptions; 3% repeat an earlier item, 2% are reposts),
written as a JSON-array export. Every measurement runs in a fresh subprocess, so peak RSS is
that run's own.

- SQLite, per size: ``ingest_items`` (normalize, dedup, store; the bus of ``autoapply
  ingest``) against the raw baseline: the same items decoded with the same streaming reader
  and inserted as they are with ``executemany`` (500 rows per transaction) into a plain
  table. Goal: >= 50% of the raw rate, peak RSS flat with size.
- Re-ingest: the largest size up to 100,000 ingested again into its store (all
  duplicates) against its lower bound, only reading and decoding the file. Goal: <= 2x.
- Firestore emulator (``FIRESTORE_EMULATOR_HOST``): ``ingest_items`` on ``FirestoreStore``
  against raw batched writes (500 per batch) of the same items. Goal: >= 50% of the raw rate.
- The spreadsheet re-export (no ``jobUrl``, ``city``/``state`` columns, an index column) of
  1,000 items as CSV through ``autoapply ingest``: rejected share, share with a location.

    python -m bench.ingest [--sizes 10000 100000 300000] [--firestore 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.helpers import replicas

REINGEST_MAX = 100_000


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _timed(fn: Any) -> dict[str, Any]:
    """Run ``fn`` (returning the item count and extra figures) and time it."""
    start_cpu, start = time.process_time(), time.perf_counter()
    items, extra = fn()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return {
        "items": items,
        "seconds": round(elapsed, 2),
        "items_per_s": round(items / elapsed),
        "items_per_cpu_s": round(items / max(cpu, 1e-9)),
        "peak_rss_mb": _rss_mb(),
        **extra,
    }


def child_ingest(path: Path, store_path: str, backend: str) -> dict[str, Any]:
    """``ingest_items`` over the file into a SQLite file or a Firestore project."""
    from common.adapters.bus_local import NullBus
    from common.adapters.dataset_file import iter_dataset_file
    from common.services.ingest import ingest_items

    if backend == "firestore":
        from common.adapters.store_firestore import FirestoreStore

        store: Any = FirestoreStore(store_path)
    else:
        from common.adapters.store_sqlite import SqliteStore

        store = SqliteStore(Path(store_path) / "bench.sqlite3")

    def run() -> tuple[int, dict[str, Any]]:
        report = ingest_items(
            iter_dataset_file(path), store=store, bus=NullBus(), now=datetime.now(UTC)
        )
        counts = {k: v for k, v in report.to_dict().items() if k not in ("rejected", "received")}
        rejected = sum(report.rejected.values())
        return report.received, {**counts, "reposts": report.reposts, "rejected": rejected}

    return _timed(run)


def child_raw_sqlite(path: Path, store_dir: str) -> dict[str, Any]:
    """The raw baseline: decode each item and insert it as it is, 500 rows per transaction."""
    import sqlite3

    from common.adapters.dataset_file import iter_dataset_file

    conn = sqlite3.connect(Path(store_dir) / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, data TEXT NOT NULL)")

    def run() -> tuple[int, dict[str, Any]]:
        count, rows = 0, []
        for item in iter_dataset_file(path):
            count += 1
            rows.append((f"{count}:{item.get('id')}", json.dumps(item, ensure_ascii=False)))
            if len(rows) == 500:
                _insert(conn, rows)
                rows = []
        _insert(conn, rows)
        return count, {}

    return _timed(run)


def _insert(conn: Any, rows: list[tuple[str, str]]) -> None:
    if rows:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO raw (id, data) VALUES (?, ?)", rows)
        conn.execute("COMMIT")


def child_raw_firestore(path: Path, project: str) -> dict[str, Any]:
    """The raw baseline on Firestore: the items as they are, in batches of 500 (split as the
    store splits them, by size)."""
    from google.cloud import firestore

    from common.adapters.dataset_file import iter_dataset_file
    from common.adapters.store_firestore import BATCH_BYTES

    client = firestore.Client(project=project)
    raw = client.collection("raw")

    def run() -> tuple[int, dict[str, Any]]:
        count, batch, pending, size = 0, client.batch(), 0, 0
        for item in iter_dataset_file(path):
            count += 1
            weight = len(json.dumps(item))  # a commit must stay under the 4 MiB gRPC limit
            if pending == 500 or size + weight > BATCH_BYTES:
                batch.commit()
                batch, pending, size = client.batch(), 0, 0
            batch.set(raw.document(f"{count}-{item.get('id')}"), item)
            pending, size = pending + 1, size + weight
        if pending:
            batch.commit()
        return count, {}

    return _timed(run)


def child_read(path: Path) -> dict[str, Any]:
    """The lower bound of any ingest of the file: read and decode every item."""
    from common.adapters.dataset_file import iter_dataset_file

    return _timed(lambda: (sum(1 for _ in iter_dataset_file(path)), {}))


def child_stages(path: Path, store_dir: str, count: int = 5000) -> dict[str, Any]:
    """CPU microseconds per item of each step of an ingest, and of the raw baseline's steps,
    over the first ``count`` items (one step at a time over all of them)."""
    import sqlite3
    from itertools import islice

    from common.adapters.dataset_file import iter_dataset_file
    from common.adapters.store_sqlite import SqliteStore
    from common.normalize.registry import identify, normalize_identified
    from common.normalize.text import html_to_text
    from common.services.dedup import Deduper, Verdict

    now = datetime.now(UTC)
    store = SqliteStore(Path(store_dir) / "stages.sqlite3")
    out: dict[str, Any] = {}

    def step(name: str, fn: Any) -> Any:
        start = time.process_time()
        result = fn()
        out[name] = round((time.process_time() - start) / count * 1e6, 1)
        return result

    items = step("decode", lambda: list(islice(iter_dataset_file(path), count)))
    found = step("identify", lambda: [identify(i) for i in items])
    step("  html_to_text", lambda: [html_to_text(i.get("descriptionHtml") or "") for i in items])
    jobs = step(
        "normalize",
        lambda: [normalize_identified(i, f, now) for i, f in zip(items, found, strict=True)],
    )
    step("  to_json", lambda: [j.to_json() for j in jobs])
    deduper = Deduper(store, "stages", now)
    verdicts = step(
        "dedup keys",
        lambda: [v for s in range(0, len(jobs), 500) for v in deduper.classify(jobs[s : s + 500])],
    )
    new = {j.id: j for j, v in verdicts if v is Verdict.NEW}
    step("store jobs", lambda: store.put_many("jobs", new))  # to_json and insert
    conn = sqlite3.connect(Path(store_dir) / "stages-raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, data TEXT NOT NULL)")
    rows = step(
        "raw: json dump",
        lambda: [(f"{n}", json.dumps(i, ensure_ascii=False)) for n, i in enumerate(items)],
    )
    step(
        "raw: insert", lambda: [_insert(conn, rows[s : s + 500]) for s in range(0, len(rows), 500)]
    )
    return {"items": len(items), "cpu_us_per_item": out}


def child_reexport(work: Path) -> dict[str, Any]:
    """1,000 replicas re-exported through a spreadsheet (CSV, no jobUrl, city/state, an
    index column) into ``autoapply ingest --json`` in an empty folder."""
    import contextlib
    import io

    from common.cli.main import main
    from common.store.collections import JOBS

    items = [replicas.spreadsheet_row(i) for i in replicas.stream(replicas.bebity, 1000)]
    path = replicas.write_csv(work / "reexport.csv", items, index_column="")
    folder = Path(tempfile.mkdtemp(prefix="reexport-", dir=work))
    os.chdir(folder)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["ingest", str(path), "--json"])
    counts = json.loads(out.getvalue())
    from common.adapters.store_sqlite import SqliteStore

    jobs = [doc for _, doc in SqliteStore(folder / ".autoapply" / "autoapply.sqlite3").query(JOBS)]
    carried = sum(1 for i in items if i.get("city") or i.get("state"))
    located = sum(1 for d in jobs if any(d["location"].values()))
    with_country = sum(1 for d in jobs if d["location"].get("country"))
    return {
        "items": len(items),
        "received": counts["received"],
        "rejected": sum(counts["rejected"].values()),
        "rejected_share": round(sum(counts["rejected"].values()) / counts["received"], 4),
        "items_with_a_location": carried,
        "stored_jobs": len(jobs),
        "stored_with_location_share": round(located / max(len(jobs), 1), 4),
        "stored_with_country_share": round(with_country / max(len(jobs), 1), 4),
    }


def _child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.ingest", "--child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench child {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _line(label: str, ours: dict[str, Any], base: dict[str, Any], goal: str) -> str:
    wall = ours["items_per_s"] / base["items_per_s"]
    cpu = ours["items_per_cpu_s"] / base["items_per_cpu_s"]
    return (
        f"{label:<22} {ours['items']:>7} items: {ours['items_per_s']:>6}/s "
        f"(CPU {ours['items_per_cpu_s']:>6}/s, peak RSS {ours['peak_rss_mb']:>6} MB) | raw "
        f"{base['items_per_s']:>6}/s (CPU {base['items_per_cpu_s']:>6}/s, peak RSS "
        f"{base['peak_rss_mb']:>6} MB) | {wall:.2f}x of raw, CPU {cpu:.2f}x ({goal})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--firestore", type=int, default=2_000, help="items; 0 to skip")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--keep", help="folder for the generated datasets (kept)")
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        runners = {
            "ingest": lambda: child_ingest(Path(rest[0]), rest[1], rest[2]),
            "raw-sqlite": lambda: child_raw_sqlite(Path(rest[0]), rest[1]),
            "raw-firestore": lambda: child_raw_firestore(Path(rest[0]), rest[1]),
            "read": lambda: child_read(Path(rest[0])),
            "stages": lambda: child_stages(Path(rest[0]), rest[1]),
            "reexport": lambda: child_reexport(Path(rest[0])),
        }
        print(json.dumps(runners[kind]()))
        return 0
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"sqlite": {}, "raw_sqlite": {}}

    def dataset(size: int) -> Path:
        path = work / f"replicas-{size}.json"
        if not path.exists():
            replicas.write_json_array(path, replicas.stream(replicas.bebity, size))
        return path

    stores: dict[int, Path] = {}
    for size in args.sizes:
        data = dataset(size)
        stores[size] = Path(tempfile.mkdtemp(prefix=f"store-{size}-", dir=work))
        ours = _child("ingest", str(data), str(stores[size]), "sqlite")
        base = _child("raw-sqlite", str(data), tempfile.mkdtemp(prefix="raw-", dir=work))
        results["sqlite"][size], results["raw_sqlite"][size] = ours, base
        mb = data.stat().st_size / 1e6
        print(_line(f"SQLite ({mb:.0f} MB file)", ours, base, "goal >= 0.50"), flush=True)
    if args.sizes:
        stages = _child("stages", str(dataset(min(args.sizes))), tempfile.mkdtemp(dir=work))
        results["stages"] = stages
        cost = stages["cpu_us_per_item"]
        ours = sum(v for k, v in cost.items() if not k.startswith((" ", "raw")))
        raw = cost["decode"] + cost["raw: json dump"] + cost["raw: insert"]
        print(
            f"CPU per item ({stages['items']} items, one step at a time): "
            + ", ".join(f"{k.strip()} {v}" for k, v in cost.items())
            + f" us; ingest {ours:.0f} us vs raw {raw:.0f} us ({raw / ours:.2f}x)"
        )
    sizes = sorted(results["sqlite"])
    if len(sizes) >= 2:
        small, large = results["sqlite"][sizes[0]], results["sqlite"][sizes[-1]]
        print(
            f"SQLite peak RSS {sizes[-1]}/{sizes[0]}: "
            f"{large['peak_rss_mb'] / small['peak_rss_mb']:.2f} (flat: goal <= 1.2)"
        )
    again = max((s for s in sizes if s <= REINGEST_MAX), default=None)
    if again:
        data = dataset(again)
        redo = _child("ingest", str(data), str(stores[again]), "sqlite")
        floor = _child("read", str(data))
        results["reingest"], results["read"] = redo, floor
        print(
            f"re-ingest {again} duplicates: {redo['seconds']} s ({redo['duplicates']} "
            f"duplicates, {redo['inserted']} inserted, peak RSS {redo['peak_rss_mb']} MB) | "
            f"lower bound (read and decode only) {floor['seconds']} s | "
            f"{redo['seconds'] / floor['seconds']:.2f}x, CPU "
            f"{floor['items_per_cpu_s'] / redo['items_per_cpu_s']:.2f}x (goal <= 2)"
        )
    if args.firestore:
        if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
            print("Firestore: skipped (no FIRESTORE_EMULATOR_HOST; `make bench` starts one)")
        else:
            data = dataset(args.firestore)
            # the emulator's JVM is slow until warm: a first small run for each, not counted
            warm = work / "replicas-warm.json"
            replicas.write_json_array(warm, replicas.stream(replicas.bebity, 300, seed=3))
            _child("ingest", str(warm), f"warm-{uuid.uuid4().hex[:8]}", "firestore")
            _child("raw-firestore", str(warm), f"warm-{uuid.uuid4().hex[:8]}")
            ours = _child("ingest", str(data), f"bench-{uuid.uuid4().hex[:8]}", "firestore")
            base = _child("raw-firestore", str(data), f"bench-{uuid.uuid4().hex[:8]}")
            results["firestore"], results["raw_firestore"] = ours, base
            print(_line("Firestore emulator", ours, base, "goal >= 0.50"))
    reexport = _child("reexport", str(work))
    results["reexport"] = reexport
    print(
        f"spreadsheet re-export CSV, {reexport['items']} items: rejected "
        f"{reexport['rejected_share']:.1%} (goal <= 2%), stored with a location "
        f"{reexport['stored_with_location_share']:.1%} (goal >= 90%), with a country "
        f"{reexport['stored_with_country_share']:.1%}"
    )
    print("ingest results: " + json.dumps(results, sort_keys=True))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
