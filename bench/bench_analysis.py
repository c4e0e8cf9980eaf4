"""Benchmark of issue 4 (``make bench``): what analysis costs in Gemini calls and tokens.

1. A realistic mixed batch (generated like the eval set, another seed): on-target and
   off-target roles, exact duplicates and reposts (same posting, new id and URL), a few
   postings the user's filters stop. It goes through the real ingestion and the real analyze
   service, with the real google-genai client talking to a fake Gemini that counts.
   Reported: Gemini calls per ingested job, calls spent on duplicates/reposts/filtered jobs,
   prompt tokens per call (max, mean).
2. The whole local analysis' throughput (postings/s in CPU time, one core) on real-sized
   postings, and the ranker's alone.
3. An all-on-target batch: the share of good fits forwarded to Gemini at
   ``scoring.llm_threshold`` (the forward share is reported: on a batch where every role is on
   target, forwarding most of it is right; the reach goal on real postings is ``make eval``'s).

Goals (issue 4): <= 0.35 calls per ingested job; 0 for duplicates, reposts and filtered jobs;
<= 2,500 prompt tokens per call; on-target: >= 95 % of good fits forwarded.
Goal (issue 13): the whole local analysis >= 1,000 postings/s.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from common.adapters.bus_local import LocalBus
from common.adapters.gemini import GeminiClient
from common.adapters.store_sqlite import SqliteStore
from common.analysis.gemini_analyzer import GeminiAnalyzer
from common.analysis.local_scorer import LocalScorer
from common.analysis.prompt import estimate_tokens
from common.domain.candidate import Profile
from common.domain.preferences import Filters, Preferences
from common.normalize import Rejection, normalize
from common.services.analyze import Context, analyze_jobs, assess
from common.services.ingest import ingest_items
from common.settings import Gemini
from common.store.collections import ANALYSES, JOBS
from eval.synthetic import generate
from tests.helpers.clock import FakeClock
from tests.helpers.fake_gemini import FakeGemini, count_tokens
from tests.helpers.postings import NOW

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "analysis.md"
PROFILE = Profile.load(ROOT / "eval" / "profile.json")
FILTERS = Filters(
    locations=["Germany"],
    title_blocklist=["intern", "working student", "nurse"],
    company_blocklist=["Silberfisch Games"],
)


BOILERPLATE = [
    "We believe diverse teams build better products.",
    "We are an equal opportunity employer and value diversity at our company.",
    "We do not discriminate on the basis of race, religion, color, national origin, gender, "
    "sexual orientation, age, marital status, veteran status, or disability status.",
    "Our offices are close to public transport and have bike parking and showers.",
    "We were founded by two friends who wanted to make everyday logistics less wasteful.",
    "Since then we have grown to several hundred customers in twelve countries.",
    "Our customers include regional retailers, hospitals and public utilities.",
    "We invest in your growth with mentoring, conference visits and internal tech talks.",
    "Our hiring process has three steps: a call with the recruiter, a technical conversation "
    "and a meeting with the team.",
    "If you need any accommodation during the process, please tell us.",
    "We will get back to every applicant within two weeks.",
    "Relocation support is available for candidates moving from abroad.",
]


def long_text(rng: random.Random, words: int) -> str:
    """Company text and boilerplate of about ``words`` words, as real postings carry."""
    out: list[str] = []
    while sum(len(x.split()) for x in out) < words:
        out.append(rng.choice(BOILERPLATE))
    return "About us\n" + " ".join(out)


def mixed_batch(seed: int = 11, unique: int = 300) -> tuple[list[dict], dict[str, str]]:
    """Items in arrival order, and item id -> kind (new, duplicate, repost)."""
    rng = random.Random(seed)
    rows = generate(seed, unique, on_target_share=0.4)
    items = [item for item, _, _ in rows]
    for item in items:  # real postings are long: 300 to 2,000 words of text around the job
        key = "description" if "description" in item else "descriptionHtml"
        extra = long_text(rng, rng.choice([300, 600, 900, 2000]))
        item[key] += ("\n\n" + extra) if key == "description" else f"<p>{extra}</p>"
    kinds = {item["id"]: "new" for item in items}
    for n, item in enumerate(rng.sample(items, k=unique // 5)):  # reposts: new id and URL
        copy = dict(item, id=f"{item['id']}9{n}", jobUrl=item["jobUrl"].replace("view/", "view/9"))
        kinds[copy["id"]] = "repost"
        items.append(copy)
    dups = rng.sample(items, k=unique // 6)  # the same item delivered twice
    items += [dict(d) for d in dups]
    rng.shuffle(items)
    return items, kinds


def run_mixed() -> dict[str, float]:
    items, kinds = mixed_batch()
    clock = FakeClock(at=NOW)
    limits = Gemini(requests_per_minute=10_000, requests_per_day=100_000)
    prefs = Preferences(filters=FILTERS)
    with tempfile.TemporaryDirectory() as tmp, FakeGemini() as fake:
        os.environ["GOOGLE_GEMINI_BASE_URL"] = fake.url
        store = SqliteStore(Path(tmp) / "bench.sqlite3")
        bus = LocalBus()
        report = ingest_items(items, store=store, bus=bus, now=clock.now())
        analyzer = GeminiAnalyzer(GeminiClient("bench-key", limits), limits.max_prompt_tokens)
        for env in list(bus.queue):
            analyze_jobs(
                env.message["job_ids"],
                store=store,
                bus=bus,
                clock=clock,
                analyzer=analyzer,
                profile=PROFILE,
                preferences=prefs,
                limits=limits,
            )
        analyses = dict(store.query(ANALYSES))
        jobs = dict(store.query(JOBS))
        paid: dict[str, int] = {}  # fingerprint -> fresh Gemini calls
        for job_id, doc in analyses.items():
            if doc["llm_used"] and not any("reused" in r for r in doc["reasons"]):
                fp = str(jobs[job_id].get("fingerprint"))
                paid[fp] = paid.get(fp, 0) + 1
        paid_twice = sum(n - 1 for n in paid.values())
        reposts = sum(1 for d in jobs.values() if kinds.get(str(d.get("source_id"))) == "repost")
        on_filtered = sum(1 for d in analyses.values() if d.get("filtered_by") and d["llm_used"])
        tokens = [count_tokens(r.prompt_text()) for r in fake.requests]
        estimates = [estimate_tokens(r.prompt_text()) for r in fake.requests]
        store.close()
    return {
        "received": report.received,
        "stored": report.inserted,
        "duplicates_at_ingest": report.duplicates,
        "filtered": sum(1 for d in analyses.values() if d.get("filtered_by")),
        "gemini_calls": fake.calls,
        "calls_per_ingested_job": fake.calls / report.received,
        "calls_per_stored_job": fake.calls / max(1, report.inserted),
        "reposts_stored": reposts,
        "calls_on_duplicates": 0,  # never stored, never analyzed (see duplicates_at_ingest)
        "calls_on_reposts": paid_twice,  # a posting paid for more than once
        "calls_on_filtered": on_filtered,
        "prompt_tokens_max": max(tokens, default=0),
        "prompt_tokens_mean": sum(tokens) / max(1, len(tokens)),
        "prompt_tokens_max_estimate": max(estimates, default=0),
    }


FIT_DEV = ROOT.parent / "shared" / "eval" / "fit_dev"


def real_sized() -> tuple[list[dict], Profile, Preferences, str]:
    """Postings of real size: ``../shared/eval/fit_dev`` when present (read here, never
    copied), else the mixed batch's generated postings padded to real lengths."""
    if (FIT_DEV / "postings.json").is_file():
        items = json.loads((FIT_DEV / "postings.json").read_text(encoding="utf-8"))
        return items, Profile.load(FIT_DEV / "profile.json"), Preferences(), "fit_dev"
    items, _ = mixed_batch()
    return items, PROFILE, Preferences(filters=FILTERS), "generated, padded to real length"


def run_throughput(rounds: int = 3) -> dict[str, float | str]:
    """Postings/s in CPU time (best of ``rounds``) of the whole local analysis (what ``autoapply
    score --local-only`` does per posting: read it, count it in the lexical statistics, hard
    filters, ranker, injection scan, recipient), and of the ranker alone on read postings."""
    items, profile, prefs, source = real_sized()
    jobs = [j for j in (normalize(i, NOW) for i in items) if not isinstance(j, Rejection)]
    clock = FakeClock(at=NOW)
    whole = ranker = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite3")
        for _ in range(rounds):
            start = time.process_time()
            scorer = LocalScorer()
            for job in jobs:
                scorer.observe(job, profile, prefs.targets, NOW.date())
            ctx = Context(store, clock, scorer, profile, prefs, Gemini(), scorer)
            for job in jobs:
                assess(job, ctx)
            whole = max(whole, len(jobs) / (time.process_time() - start))
            start = time.process_time()
            for job in jobs:
                scorer.rank(job, profile, prefs)
            ranker = max(ranker, len(jobs) / (time.process_time() - start))
        store.close()
    return {"postings": len(jobs), "source": source, "whole": whole, "ranker": ranker}


def run_on_target(n: int = 300) -> dict[str, float]:
    rows = generate(23, n, only_on_target=True)
    scorer, prefs = LocalScorer(), Preferences()
    threshold = prefs.scoring.llm_threshold
    forwarded = good = kept = 0
    for item, label, _ in rows:
        job = normalize(item, NOW)
        assert not isinstance(job, Rejection)
        sent = scorer.analyze(job, PROFILE, prefs).score >= threshold
        forwarded += sent
        good += label
        kept += sent and label
    return {
        "postings": n,
        "good_fits": good,
        "threshold": threshold,
        "forward_share": forwarded / n,
        "good_fits_kept": kept / good,
    }


def render(mixed: dict, speed: dict, target: dict) -> str:
    return "\n".join(
        [
            "<!-- bench:begin (written by `make bench`) -->",
            "| measure | result | goal |",
            "|---|---|---|",
            f"| mixed batch | {mixed['received']} items, {mixed['stored']} stored, "
            f"{mixed['duplicates_at_ingest']} duplicates dropped at ingestion, "
            f"{mixed['reposts_stored']} reposts, {mixed['filtered']} filtered | |",
            f"| Gemini calls per ingested job | {mixed['calls_per_ingested_job']:.3f} "
            f"({mixed['gemini_calls']} calls; {mixed['calls_per_stored_job']:.3f} per stored job)"
            " | <= 0.35 |",
            f"| calls on duplicates / reposts / filtered | {mixed['calls_on_duplicates']} / "
            f"{mixed['calls_on_reposts']} / {mixed['calls_on_filtered']} | 0 / 0 / 0 |",
            f"| prompt tokens per call, max / mean | {mixed['prompt_tokens_max']} / "
            f"{mixed['prompt_tokens_mean']:.0f} (our estimate, max: "
            f"{mixed['prompt_tokens_max_estimate']}) | <= 2,500 |",
            f"| local analysis ({speed['postings']} postings, {speed['source']}) | "
            f"{speed['whole']:,.0f} postings/s CPU time (ranker alone on read postings: "
            f"{speed['ranker']:,.0f}/s) | >= 1,000/s |",
            f"| all-on-target batch ({target['postings']}, {target['good_fits']} good) | forwards "
            f"{target['forward_share']:.1%}, keeps {target['good_fits_kept']:.1%} of good fits "
            f"(llm_threshold {target['threshold']}) | keeps >= 95 % |",
            "<!-- bench:end -->",
        ]
    )


def main() -> int:
    mixed = run_mixed()
    speed = run_throughput()
    target = run_on_target()
    block = render(mixed, speed, target)
    print(json.dumps({"mixed": mixed, "local_analysis": speed, "on_target": target}, indent=2))
    print(block)
    if DOC.is_file():
        text = DOC.read_text(encoding="utf-8")
        start, end = text.find("<!-- bench:begin"), text.find("<!-- bench:end -->")
        if start >= 0 and end > start:
            DOC.write_text(text[:start] + block + text[end + len("<!-- bench:end -->") :])
    ok = (
        mixed["calls_per_ingested_job"] <= 0.35
        and mixed["calls_on_reposts"] == mixed["calls_on_filtered"] == 0
        and mixed["prompt_tokens_max"] <= 2500
        and target["good_fits_kept"] >= 0.95
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
