"""Benchmark: application documents per second on the local path (make bench).

One application = resume and cover letter, each as DOCX and PDF (plus the letter's text).
Measures (1) content + rendering alone, with the CPU of each step, (2) the same on the real
postings of ``../shared/eval`` when present, and (3) ``generate_application`` with the
embedded defaults (SQLite store, local folder) on a run of ``--jobs`` different jobs (2,000 by
default: company, title, language, requirements and paragraphs vary), reporting the rate per
slice of the run: it must stay flat as stored applications grow, and (4)
``generate_applications`` (what ``autoapply generate`` runs) on the same jobs in a fresh store:
worker processes, one per core, make the content and files while this process stores them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common.adapters.objects_local import LocalObjectStore  # noqa: E402
from common.clock import SystemClock  # noqa: E402
from common.documents.content import build_content  # noqa: E402
from common.documents.model import as_data, printable  # noqa: E402
from common.documents.render import render_application  # noqa: E402
from common.documents.render_docx import letter_docx, resume_docx  # noqa: E402
from common.documents.render_pdf import STATS as PDF_STATS  # noqa: E402
from common.documents.render_pdf import render_pdf  # noqa: E402
from common.documents.templates import (  # noqa: E402
    LETTER_TYP,
    REFERENCE_DOCX,
    RESUME_TYP,
    Templates,
)
from common.domain.analysis import Analysis, Decision  # noqa: E402
from common.domain.candidate import Profile  # noqa: E402
from common.domain.job import Job  # noqa: E402
from common.services.documents import (  # noqa: E402
    generate_application,
    generate_applications,
    pool_size,
)
from common.store.collections import ANALYSES, JOBS  # noqa: E402

# The pool's worker processes are spawned: each runs this file again (as ``__mp_main__``)
# before its first application, so what only this process needs (the test fixtures and
# pytest, the posting normalizers, SQLite and the bus) is imported where it is used, not
# here: a worker of ``autoapply generate`` imports none of it either (about 0.2 s of CPU
# per worker).

T = TypeVar("T")
DOCS_PER_APPLICATION = 4  # resume + letter, DOCX + PDF
SKILLS = ["Kafka", "BigQuery", "Airflow", "dbt", "PostgreSQL", "Python", "SQL", "Rust"]
LANGUAGES = ("en", "fr", "de", "es")
#: paragraphs in each posting language (written for the bench) that make the postings
#: real-sized (about 2 kB, like the LinkedIn and Indeed postings they stand for) and different
LINES = json.loads((ROOT / "bench" / "data" / "posting_lines.json").read_text("utf-8"))


def children_cpu() -> float:
    """CPU time of the child processes that ended (a worker pool, once shut down)."""
    times = os.times()
    return times.children_user + times.children_system


class Timer:
    """Wall and CPU time of a block (CPU time is steadier on a busy machine), the CPU of
    worker processes ended in the block included."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time() + children_cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() + children_cpu() - self.cpu


def rate(label: str, rounds: int, timer: Timer) -> None:
    print(
        f"{label:<44} {rounds / timer.wall:6.1f} applications/s wall "
        f"({rounds / timer.cpu:6.1f} per CPU second)  "
        f"{rounds * DOCS_PER_APPLICATION / timer.wall:6.1f} documents/s  "
        f"({timer.wall / rounds * 1000:.1f} ms wall, {timer.cpu / rounds * 1000:.1f} ms CPU "
        "per application)"
    )


def jobs(count: int) -> list[Job]:
    """``count`` different, real-sized jobs: the four language fixtures with varied company,
    title, requirements and a varied choice and order of paragraphs in their language."""
    from tests.helpers import letters

    base = [letters.posting(code) for code in LANGUAGES]
    out = []
    for i in range(count):
        job, lines = base[i % 4], LINES[LANGUAGES[i % 4]]
        asks = ", ".join(SKILLS[(i + k) % len(SKILLS)] for k in range(3))
        picked = random.Random(i).sample(lines, 6 + i % 4)  # seeded: the same run each time
        out.append(
            job.model_copy(
                update={
                    "id": f"bench-{i}",
                    "company": f"{job.company} {i}",
                    "title": f"{job.title} {i % 7}",
                    "description": "\n\n".join([job.description, *picked, f"{asks}."]),
                }
            )
        )
    return out


def steps(profile: Profile, run: list[Job], templates: Templates) -> None:
    """CPU per application of each step of the in-memory path (content, each file)."""
    spent: dict[str, float] = {}

    def step(name: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        start = time.process_time()
        out = fn(*args, **kwargs)
        spent[name] = spent.get(name, 0.0) + time.process_time() - start
        return out

    resume_typ, letter_typ = templates.get(RESUME_TYP), templates.get(LETTER_TYP)
    reference, today = templates.get(REFERENCE_DOCX), date.today()
    for job in run:
        content = step("content", build_content, profile, job, today=today)
        content = printable(content)
        resume, letter = content.resume, content.letter
        assert letter is not None
        step("resume PDF", render_pdf, resume_typ, as_data(resume))
        step("letter PDF", render_pdf, letter_typ, as_data(letter))
        step("resume DOCX", resume_docx, resume, reference)
        step("letter DOCX", letter_docx, letter, reference)
    print(
        "  CPU per application: "
        + ", ".join(f"{name} {total / len(run) * 1000:.1f} ms" for name, total in spent.items())
    )


def real_postings(templates: Templates) -> None:
    """Content and rendering on the real postings of ``../shared/eval`` (when present) with
    the resume labelled with them: the check that the synthetic run is not kinder than life
    (real postings tailor the resume differently far more often, so fewer PDFs are shared)."""
    folder = ROOT.parent / "shared" / "eval" / "fit_dev"
    if not (folder / "postings.json").is_file():
        print("real postings: ../shared/eval not present, skipped")
        return
    from common.normalize.registry import normalize

    profile = Profile.load(folder / "profile.json")
    items = json.loads((folder / "postings.json").read_text("utf-8"))
    now = datetime.now(UTC)
    run = [job for job in (normalize(item, now) for item in items) if isinstance(job, Job)]
    before = dict(PDF_STATS)
    with Timer() as timer:
        for job in run:
            render_application(build_content(profile, job, None, today=now.date()), templates)
    size = sum(len(job.description) for job in run) // len(run)
    rate(f"real postings ({len(run)}, {size} chars on average)", len(run), timer)
    hits = PDF_STATS["hits"] - before["hits"]
    print(f"  PDFs taken from the content cache: {hits} of {2 * len(run)}")


def stored(tmp: str, run: list[Job]) -> dict[str, Any]:
    """A fresh SQLite store and folder holding ``run`` and its analyses: the ports."""
    from common.adapters.bus_local import LocalBus
    from common.adapters.store_sqlite import SqliteStore

    Path(tmp).mkdir(parents=True, exist_ok=True)
    store = SqliteStore(Path(tmp) / "state.sqlite3")
    objects = LocalObjectStore(Path(tmp) / "objects")
    for job in run:
        store.put(JOBS, job.id, job.to_doc())
        analysis = Analysis(job_id=job.id, score=80, decision=Decision.APPLY)
        store.put(ANALYSES, job.id, analysis.to_doc())
    return dict(store=store, objects=objects, bus=LocalBus(), clock=SystemClock())


def serial(run: list[Job], profile: Profile, tmp: str) -> None:
    """``generate_application`` one job after the other, in this process (what the cloud
    function does per message), by slice of the run, in a fresh store in ``tmp``."""
    kwargs = stored(tmp, run)
    slices = 4
    size = len(run) // slices
    with Timer() as total:
        for s in range(slices):
            with Timer() as timer:
                for job in run[s * size : (s + 1) * size]:
                    generate_application(job.id, profile=profile, **kwargs)
            done = (s + 1) * size
            rate(f"generate_application, jobs {done - size + 1}-{done}", size, timer)
    rate(f"generate_application, {slices * size} different jobs", slices * size, total)
    kwargs["store"].close()


def pooled(run: list[Job], profile: Profile, workers: int | None, tmp: str) -> None:
    """``generate_applications`` on the whole run, forced as ``autoapply generate`` does:
    worker processes make the content and write the files, this one takes care of the
    records and the bus. CPU is this process's and the workers'
    (counted once the pool has ended); the wall time includes starting the workers."""
    size = pool_size(len(run), workers)
    kwargs = stored(tmp, run)
    marks: list[float] = []
    begun = time.perf_counter()
    with Timer() as total:
        results = generate_applications(
            [job.id for job in run],
            profile=profile,
            workers=workers,
            force=True,  # as autoapply generate: the workers write the files
            on_done=lambda job_id, result: marks.append(time.perf_counter()),
            **kwargs,
        )
    assert set(results.values()) == {"regenerated"}, "every application written once"
    step = len(run) // 4
    for s in range(4):
        begin = begun if s == 0 else marks[s * step - 1]
        wall = marks[(s + 1) * step - 1] - begin
        print(
            f"generate_applications, jobs {s * step + 1}-{(s + 1) * step:<13} "
            f"{step / wall:6.1f} applications/s wall"
            + (" (starting the workers included)" if s == 0 else "")
        )
    rate(f"generate_applications, {size} workers, {len(run)} jobs", len(run), total)
    kwargs["store"].close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    args = parser.parse_args()
    from tests.helpers import letters

    profile = letters.multilingual_profile()
    templates = Templates()
    # jobs of their own for the warm-up and each in-memory pass: no PDF of one pass is
    # in the content cache for another
    every = jobs(args.jobs + 2 * args.rounds + 1)
    run, memory, apart = every[: args.jobs], every[args.jobs : -1], every[-1]

    render_application(build_content(profile, apart, None, today=date.today()), templates)
    with Timer() as timer:
        for job in memory[: args.rounds]:
            render_application(build_content(profile, job, None, today=date.today()), templates)
    rate("content + render (memory only)", args.rounds, timer)
    steps(profile, memory[args.rounds :], templates)
    real_postings(templates)

    # both stores are removed at the end, not the first before the second pass: on a file
    # system without a journal (this machine's ext4), an inode freed less than a minute ago
    # (five if its table block is not yet written) is skipped by every new file's inode
    # search, so the 12,000 files of the first pass, deleted just before the second, made
    # each of its files cost up to a millisecond of kernel CPU more
    with tempfile.TemporaryDirectory() as tmp:
        serial(run, profile, f"{tmp}/serial")
        pooled(run, profile, args.workers, f"{tmp}/pooled")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hits, compiles = PDF_STATS["hits"], PDF_STATS["compiles"]
    print(
        f"PDFs: {compiles} compiled, {hits} taken from the content cache (the same template, "
        f"data and day); peak RSS {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
