"""A Gemini outage: 503s for a while; the breaker opens, nothing is lost, each job is
analysed by the model exactly once after recovery."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from common.adapters.gemini import GeminiClient
from common.analysis.gemini_analyzer import GeminiAnalyzer
from common.handlers import on_jobs_ingested
from common.settings import Breaker, Gemini, Resilience, Settings
from common.store.collections import ANALYSES, AUDIT, JOBS
from tests.helpers.clock import FakeClock
from tests.helpers.fake_gemini import FakeGemini, answer, unavailable
from tests.helpers.postings import BACKEND, job, profile
from tests.helpers.pubsub_sim import PubSubSim
from tests.helpers.runtimes import make_runtime

SETTINGS = Settings(
    gemini=Gemini(requests_per_minute=1000, requests_per_day=10_000, timeout_s=5),
    resilience=Resilience(breaker=Breaker(window_seconds=60, min_calls=3, open_seconds=30)),
)


def test_gemini_outage_defers_jobs_and_each_is_analysed_once(
    fake_gemini: FakeGemini, sqlite_store: Any, clock: FakeClock, tmp_path: Path
) -> None:
    down_until = clock.now() + timedelta(minutes=3)

    def flaky(request: dict[str, Any]) -> Any:
        return (unavailable() if clock.now() < down_until else answer())(request)

    fake_gemini.default = flaky
    rt = make_runtime(sqlite_store, clock, tmp_path, SETTINGS)
    rt._profile = profile()
    client = GeminiClient("test-key", SETTINGS.gemini, guard=rt.guard)
    rt._analyzer = GeminiAnalyzer(client, SETTINGS.gemini.max_prompt_tokens)
    jobs = [
        job(
            id=f"job-{n}",
            company=f"Company {n}",
            source_id=str(n),
            description=f"{BACKEND}\nTeam {n}.",
        )
        for n in range(8)
    ]
    for j in jobs:
        rt.store.put(JOBS, j.id, j.to_doc())

    states: list[str] = []
    sim = PubSubSim(rt, on_jobs_ingested)
    for j in jobs:
        sim.publish({"job_ids": [j.id]})
    sim.run(after_each=lambda: states.append(rt.guard.breaker.get("gemini")["state"]))  # type: ignore[union-attr]

    assert sim.dead == []  # nothing lost
    assert "open" in states and states[-1] == "closed"
    analyses = dict(rt.store.query(ANALYSES))
    assert sorted(analyses) == sorted(j.id for j in jobs)
    assert all(a["llm_used"] for a in analyses.values())
    served = [r for r in fake_gemini.requests if r.body]  # every call that reached the fake
    failures = len(served) - len(jobs)
    assert failures <= 3 + 180 / 30 + 1  # opened after 3, then one trial per open period
    outcomes = Counter(doc["outcome"] for _, doc in rt.store.query(AUDIT))
    assert outcomes["success"] == len(jobs)  # exactly one successful model call per job
    assert outcomes["circuit_open"] > 0
