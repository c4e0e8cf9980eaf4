"""Ingest benchmark: throughput and peak memory for 10,000 and 100,000 synthetic items.

Each size runs in a fresh subprocess (so peak RSS is that run's own): a JSON-array dataset
export with 4-8 KB HTML descriptions is streamed through normalize -> dedup -> SQLite store
(the embedded default). Messages go to a bus that only counts them, so the bus's memory is
not measured. About 3% of items repeat an earlier one and 2% are reposts (same description,
other URL and city). Goal: >= 2,000 items/s on one core; peak RSS at 100k <= 1.2x that at 10k.
``items_per_cpu_s`` (items per second of this process's CPU time) is the one-core figure when
the machine is shared; ``items_per_s`` is wall-clock.

    python -m bench.ingest [--sizes 10000 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "python",
    "backend",
    "platform",
    "data",
    "pipeline",
    "kubernetes",
    "cloud",
    "services",
    "api",
    "design",
    "reliability",
    "team",
    "customers",
    "product",
    "engineering",
    "ownership",
    "mentoring",
    "testing",
    "observability",
    "latency",
    "payments",
    "scale",
    "distributed",
    "systems",
    "postgres",
    "streaming",
    "kafka",
    "security",
    "compliance",
    "roadmap",
    "collaborate",
    "stakeholders",
    "deliver",
    "quality",
    "code",
    "review",
    "architecture",
    "migrate",
    "modern",
    "stack",
    "growth",
    "learning",
    "budget",
    "benefits",
    "vacation",
    "flexible",
    "hours",
    "hybrid",
    "office",
    "remote",
    "equipment",
]
CITIES = ["Berlin", "Hamburg", "Munich", "Vienna", "Prague", "Zurich", "Lisbon", "Warsaw"]


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def description(rng: random.Random) -> str:
    """4-8 KB of job-posting HTML: headings, paragraphs and lists."""
    target, parts = rng.randint(4096, 8192), []
    size = 0
    while size < target:
        block = (
            f"<h3>{_paragraph(rng, 3)}</h3><p>{_paragraph(rng, rng.randint(30, 60))}</p><ul>"
            + "".join(f"<li>{_paragraph(rng, rng.randint(5, 12))}</li>" for _ in range(4))
            + "</ul>"
        )
        parts.append(block)
        size += len(block)
    return "".join(parts)


def item(i: int, rng: random.Random) -> dict:
    """A synthetic ``bebity/linkedin-jobs-scraper`` item."""
    return {
        "id": str(100_000_000 + i),
        "publishedAt": "",
        "salary": rng.choice(["", "€60,000.00/yr - €75,000.00/yr", "$17.00 - $19.00/hr"]),
        "title": f"{rng.choice(['Senior', 'Staff', 'Lead'])} Engineer {i}",
        "jobUrl": f"https://de.linkedin.com/jobs/view/engineer-{i}?trk=public_jobs&refId=x{i}",
        "companyName": f"Company {i % 5000}",
        "companyUrl": f"https://de.linkedin.com/company/c{i % 5000}",
        "location": f"{rng.choice(CITIES)}, Germany",
        "postedTime": f"{rng.randint(1, 23)} hours ago",
        "description": "",
        "descriptionHtml": description(rng),
        "contractType": "Full-time",
        "experienceLevel": "Mid-Senior level",
        "workType": rng.choice(["Hybrid", "Remote", "On-site"]),
        "applyUrl": "",
    }


def write_dataset(path: Path, count: int, seed: int = 7) -> None:
    """A JSON array export of ``count`` items, written one item at a time."""
    rng = random.Random(seed)
    recent: list[dict] = []
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for i in range(count):
            roll = rng.random()
            if recent and roll < 0.03:
                entry = rng.choice(recent)  # the same posting again
            elif recent and roll < 0.05:
                base = rng.choice(recent)  # a repost: same text, new id, URL and city
                entry = {**item(i, rng), "descriptionHtml": base["descriptionHtml"]}
                entry["companyName"], entry["title"] = base["companyName"], base["title"]
                entry["location"] = "Remote, Germany"
            else:
                entry = item(i, rng)
            recent = [*recent, entry][-50:]
            out.write(("," if i else "") + json.dumps(entry) + "\n")
        out.write("]\n")


def measure(path: Path, store_dir: Path) -> dict:
    """Ingest ``path`` into a new SQLite store; run in a child process."""
    from datetime import UTC, datetime

    from common.adapters.dataset_file import iter_dataset_file
    from common.adapters.store_sqlite import SqliteStore
    from common.services.ingest import ingest_items

    class CountingBus:
        published = 0

        def publish(self, topic, message, attributes=None):  # type: ignore[no-untyped-def]
            self.published += 1
            return str(self.published)

    store = SqliteStore(store_dir / "bench.sqlite3")
    start_cpu, start = time.process_time(), time.perf_counter()
    report = ingest_items(
        iter_dataset_file(path), store=store, bus=CountingBus(), now=datetime.now(UTC)
    )
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return {
        "items": report.received,
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "items_per_s": round(report.received / elapsed),
        "items_per_cpu_s": round(report.received / cpu),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **{k: v for k, v in report.to_dict().items() if k != "rejected"},
        "reposts": report.reposts,
        "rejected": sum(report.rejected.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--keep", help="folder for the generated datasets (kept)")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), Path(args.child[1]))))
        return 0
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for size in args.sizes:
        data = work / f"items-{size}.json"
        if not data.exists():
            write_dataset(data, size)
        store_dir = Path(tempfile.mkdtemp(prefix=f"store-{size}-", dir=work))
        done = subprocess.run(
            [sys.executable, "-m", "bench.ingest", "--child", str(data), str(store_dir)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
        mb = data.stat().st_size / 1e6
        print(f"ingest {size:>7} items ({mb:.0f} MB file): {json.dumps(results[size])}")
    if len(results) >= 2:
        small, large = results[min(results)], results[max(results)]
        ratio = large["peak_rss_mb"] / small["peak_rss_mb"]
        print(f"ingest peak RSS ratio {max(results)}/{min(results)}: {ratio:.2f} (goal <= 1.2)")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
