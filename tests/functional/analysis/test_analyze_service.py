"""The analyze service end to end: filters, pre-score, Gemini (fake server), cache, budget.

Runs on both document stores (SQLite and the Firestore emulator)."""

from __future__ import annotations

from typing import Any

import pytest

from common.adapters.bus_local import LocalBus
from common.adapters.gemini import GeminiClient
from common.analysis.gemini_analyzer import GeminiAnalyzer
from common.analysis.local_scorer import LocalScorer
from common.domain.analysis import Analysis
from common.domain.job import Job
from common.domain.preferences import Filters, Preferences
from common.errors import BudgetExhausted, RetryableError
from common.events import JOBS_MATCHED
from common.services.analyze import analyze_jobs
from common.settings import Gemini
from common.store.collections import ANALYSES, JOBS
from tests.helpers.clock import FakeClock
from tests.helpers.fake_gemini import (
    FakeGemini,
    answer,
    blocked,
    rate_limited,
    raw_text,
    unavailable,
)
from tests.helpers.postings import SALES, job, profile

APPLY_AT = "\n\nSend your CV to jobs@nordlicht.example.com."


class Pipeline:
    """One analyze 'function' over a store, with Gemini pointed at the fake."""

    def __init__(self, store: Any, clock: FakeClock, limits: Gemini, remote: bool = True):
        self.store, self.clock, self.limits = store, clock, limits
        self.bus = LocalBus()
        client = GeminiClient("test-key", limits)
        self.analyzer = (
            GeminiAnalyzer(client, limits.max_prompt_tokens) if remote else LocalScorer()
        )
        self.preferences = Preferences()

    def add(self, *jobs: Job) -> list[str]:
        for j in jobs:
            self.store.put(JOBS, j.id, j.to_doc())
        return [j.id for j in jobs]

    def run(self, ids: list[str]) -> dict[str, str]:
        return analyze_jobs(
            ids,
            store=self.store,
            bus=self.bus,
            clock=self.clock,
            analyzer=self.analyzer,
            profile=profile(),
            preferences=self.preferences,
            limits=self.limits,
        )

    def analysis(self, job_id: str) -> Analysis:
        doc = self.store.get(ANALYSES, job_id)
        assert doc is not None, f"no analysis for {job_id}"
        return Analysis.from_doc(doc)

    def status(self, job_id: str) -> str:
        return self.store.get(JOBS, job_id)["status"]


@pytest.fixture
def pipe(store: Any, clock: FakeClock, fake_gemini: FakeGemini) -> Pipeline:
    return Pipeline(store, clock, Gemini(requests_per_minute=5, requests_per_day=50))


def test_filtered_and_off_target_jobs_never_reach_gemini(
    pipe: Pipeline, fake_gemini: FakeGemini
) -> None:
    pipe.preferences = Preferences(filters=Filters(company_blocklist=["Blocked Corp"]))
    ids = pipe.add(
        job(id="j-blocked", company="Blocked Corp"),
        job(id="j-sales", title="Account Executive", description=SALES),
    )
    pipe.run(ids)
    assert fake_gemini.calls == 0
    blocked_analysis = pipe.analysis("j-blocked")
    assert blocked_analysis.filtered_by == "company_blocklist"
    assert pipe.status("j-blocked") == "filtered"
    sales = pipe.analysis("j-sales")
    assert sales.filtered_by is None and not sales.llm_used
    assert any("Gemini not asked" in r for r in sales.reasons)
    assert pipe.status("j-sales") == "skipped"


def test_good_job_asks_gemini_once_and_code_checks_the_answer(
    pipe: Pipeline, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(answer(score=88, application_email="ceo@elsewhere.example"))
    [jid] = pipe.add(job(id="j-good", description=job().description + APPLY_AT))
    assert pipe.run([jid]) == {jid: "analyzed"}
    got = pipe.analysis(jid)
    assert got.llm_used and got.model == "gemini-2.5-flash" and got.score == 88
    assert got.contact_email == "jobs@nordlicht.example.com"  # not the model's address
    assert pipe.status(jid) == "matched"
    assert [e.message for e in pipe.bus.queue if e.topic == JOBS_MATCHED] == [{"job_id": jid}]
    pipe.run([jid])  # redelivery
    assert fake_gemini.calls == 1


def test_duplicates_and_reposts_reuse_the_analysis(pipe: Pipeline, fake_gemini: FakeGemini) -> None:
    original = job(id="j-1")
    same_text = job(id="j-2", job_url="https://www.linkedin.com/jobs/view/2/")
    repost = job(id="j-3", repost_of="j-1", description=original.description + "\nReposted.")
    pipe.run(pipe.add(original, same_text, repost))
    assert fake_gemini.calls == 1
    for jid in ("j-2", "j-3"):
        reused = pipe.analysis(jid)
        assert reused.llm_used and reused.job_id == jid
        assert any("analysis reused" in r for r in reused.reasons)


def test_out_of_range_or_invalid_answers_fall_back_to_local(
    pipe: Pipeline, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(answer(score=140), raw_text("not json"), blocked())
    ids = pipe.add(*(job(id=f"j-{i}", title=f"Senior Backend Engineer {i}") for i in range(3)))
    pipe.run(ids)
    for jid, why in zip(ids, ("score", "not valid JSON", "refused"), strict=True):
        got = pipe.analysis(jid)
        assert not got.llm_used
        assert any("Gemini answer not usable" in r and why in r for r in got.reasons), got.reasons
    pipe.run(ids)
    assert fake_gemini.calls == 3  # a redelivery pays nothing
    twin = job(id="j-twin", title="Senior Backend Engineer 1")  # same posting as j-1
    pipe.run(pipe.add(twin))
    assert fake_gemini.calls == 3  # the fallback of a paid call is cached too
    assert any("analysis reused" in r for r in pipe.analysis("j-twin").reasons)


def test_budget_per_minute_makes_jobs_wait_not_drop(
    store: Any, clock: FakeClock, fake_gemini: FakeGemini
) -> None:
    pipe = Pipeline(store, clock, Gemini(requests_per_minute=1, requests_per_day=10))
    ids = pipe.add(job(id="j-a", title="Backend Engineer"), job(id="j-b", title="Python Engineer"))
    with pytest.raises(BudgetExhausted) as caught:
        pipe.run(ids)
    assert 0 < caught.value.retry_after <= 60
    assert fake_gemini.calls == 1
    assert pipe.status("j-a") == "matched" and pipe.status("j-b") == "ingested"
    with pytest.raises(BudgetExhausted):
        pipe.run(ids)  # an early redelivery pays nothing
    assert fake_gemini.calls == 1
    clock.advance(seconds=61)
    assert pipe.run(ids) == {"j-a": "done", "j-b": "analyzed"}
    assert fake_gemini.calls == 2


def test_budget_per_day(store: Any, clock: FakeClock, fake_gemini: FakeGemini) -> None:
    pipe = Pipeline(store, clock, Gemini(requests_per_minute=10, requests_per_day=1))
    ids = pipe.add(job(id="j-a", title="Backend Engineer"), job(id="j-b", title="Python Engineer"))
    with pytest.raises(BudgetExhausted, match="daily"):
        pipe.run(ids)
    clock.advance(days=1)
    pipe.run(ids)
    assert fake_gemini.calls == 2


def test_429_retry_delay_is_honoured_by_every_instance(
    pipe: Pipeline, store: Any, clock: FakeClock, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(rate_limited("26s"))
    [jid] = pipe.add(job(id="j-429"))
    with pytest.raises(BudgetExhausted) as caught:
        pipe.run([jid])
    assert caught.value.retry_after == 26
    other = Pipeline(store, clock, pipe.limits)  # another instance, same store
    clock.advance(seconds=20)
    with pytest.raises(BudgetExhausted):
        other.run([jid])
    assert fake_gemini.calls == 1
    clock.advance(seconds=7)
    other.run([jid])
    assert fake_gemini.calls == 2 and pipe.status(jid) == "matched"


def test_503_leaves_the_job_for_redelivery(pipe: Pipeline, fake_gemini: FakeGemini) -> None:
    fake_gemini.script(unavailable())
    [jid] = pipe.add(job(id="j-503"))
    with pytest.raises(RetryableError):
        pipe.run([jid])
    assert pipe.status(jid) == "ingested"
    pipe.run([jid])
    assert pipe.analysis(jid).llm_used


def test_local_analyzer_never_calls_gemini(
    store: Any, clock: FakeClock, fake_gemini: FakeGemini
) -> None:
    pipe = Pipeline(store, clock, Gemini(), remote=False)
    pipe.run(pipe.add(job(id="j-local")))
    assert fake_gemini.calls == 0
    assert pipe.analysis("j-local").score >= 70


def test_code_keeps_the_more_conservative_decision(pipe: Pipeline, fake_gemini: FakeGemini) -> None:
    fake_gemini.script(answer(score=52, decision="apply"), answer(score=95, decision="skip"))
    ids = pipe.add(job(id="j-low"), job(id="j-high", title="Python Engineer"))
    pipe.run(ids)
    assert pipe.analysis("j-low").decision.value == "review"  # 52: review by the thresholds
    assert pipe.analysis("j-high").decision.value == "skip"  # the model's caution stands
