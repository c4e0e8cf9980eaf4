"""The analyze service end to end: filters, pre-score, Gemini (fake server), cache, budget.

Runs on both document stores (SQLite and the Firestore emulator)."""

from __future__ import annotations

from typing import Any

import pytest

from common.adapters.bus_local import LocalBus
from common.adapters.gemini import GeminiClient
from common.analysis.gemini_analyzer import GeminiAnalyzer
from common.analysis.local_scorer import LocalScorer
from common.clock import parse_iso
from common.domain.analysis import CONFIRM_RECIPIENT, Analysis
from common.domain.job import Job
from common.domain.preferences import Filters, Preferences
from common.errors import RetryableError
from common.events import JOBS_INGESTED, JOBS_MATCHED
from common.services.analyze import analyze_jobs
from common.services.sweep import sweep
from common.settings import Gemini
from common.store.collections import ANALYSES, JOBS
from tests.helpers.clock import FakeClock
from tests.helpers.fake_gemini import (
    FakeGemini,
    answer,
    blocked,
    max_tokens,
    rate_limited,
    raw_text,
    unavailable,
)
from tests.helpers.postings import SALES, job, profile

APPLY_AT = "\n\nSend your CV to jobs@nordlicht.example.com."
HELD_AT = "\n\nSend your CV to our recruiter, anna@talentbridge.example."


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
    assert got.llm_used and got.model == Gemini().model and got.score == 88
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


def test_a_repost_of_a_held_recipient_says_its_note_once(
    pipe: Pipeline, fake_gemini: FakeGemini
) -> None:
    held = job(id="j-held", description=job().description + HELD_AT)
    pipe.run(pipe.add(held))
    first = pipe.analysis("j-held")
    assert first.decision == "review" and first.contact_held == "anna@talentbridge.example"
    assert first.reasons.count(CONFIRM_RECIPIENT) == 1
    assert not any(first.contact_note in r for r in first.reasons)
    # as an older version stored it: the note in the reason too
    old = [
        f"{CONFIRM_RECIPIENT}: {first.contact_note}" if r == CONFIRM_RECIPIENT else r
        for r in first.reasons
    ]
    pipe.store.update(ANALYSES, "j-held", {"reasons": old})
    repost = job(id="j-again", repost_of="j-held", description=held.description + "\nReposted.")
    pipe.run(pipe.add(repost))
    again = pipe.analysis("j-again")
    assert fake_gemini.calls == 1 and any("analysis reused" in r for r in again.reasons)
    assert again.decision == "review" and again.contact_note == first.contact_note
    assert again.reasons.count(CONFIRM_RECIPIENT) == 1
    assert not any(first.contact_note in r for r in again.reasons), again.reasons


def test_out_of_range_or_invalid_answers_fall_back_to_local(
    pipe: Pipeline, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(answer(score=140), raw_text("not json"), blocked())
    ids = pipe.add(*(job(id=f"j-{i}", title=f"Senior Backend Engineer {i}") for i in range(3)))
    pipe.run(ids)  # best-ranked first: which job gets which answer follows the ranks
    unusable = {}
    for jid in ids:
        got = pipe.analysis(jid)
        assert not got.llm_used and got.fallback
        assert any("Gemini answer not usable" in r for r in got.reasons), got.reasons
        unusable[jid] = got.fallback
    for why in ("score", "not valid JSON", "refused"):
        assert sum(why in r for r in unusable.values()) == 1, unusable
    pipe.run(ids)
    assert fake_gemini.calls == 3  # a redelivery pays nothing
    [cached] = [jid for jid, why in unusable.items() if "score" in why]
    [failed] = [jid for jid, why in unusable.items() if "not valid JSON" in why]
    twin = job(id="j-twin", title=f"Senior Backend Engineer {cached[-1]}")  # the same posting
    pipe.run(pipe.add(twin))
    assert fake_gemini.calls == 3  # a complete answer out of schema is cached like a good one
    assert any("analysis reused" in r for r in pipe.analysis("j-twin").reasons)
    broken = job(id="j-broken", title=f"Senior Backend Engineer {failed[-1]}")
    pipe.run(pipe.add(broken))
    assert fake_gemini.calls == 4  # invalid JSON is a failure: never cached, asked again
    assert pipe.analysis("j-broken").llm_used


def released(store: Any, clock: FakeClock) -> list[str]:
    """The job ids the scheduled sweep sends back to analysis now (waiting ones when due)."""
    bus = LocalBus()
    sweep(store, bus, clock, topics=[JOBS_INGESTED])
    return [i for e in bus.queue for i in e.message["job_ids"]]


def test_budget_per_minute_makes_jobs_wait_not_drop(
    store: Any, clock: FakeClock, fake_gemini: FakeGemini
) -> None:
    pipe = Pipeline(store, clock, Gemini(requests_per_minute=1, requests_per_day=10))
    ids = pipe.add(job(id="j-a", title="Backend Engineer"), job(id="j-b", title="Python Engineer"))
    outcome = pipe.run(ids)  # acknowledged: never redelivered (or dead-lettered) for budget
    assert sorted(outcome.values()) == ["analyzed", "waiting"]
    assert fake_gemini.calls == 1
    [waiting] = [i for i, v in outcome.items() if v == "waiting"]
    doc = store.get(JOBS, waiting)
    assert doc["status"] == "waiting" and doc["rank"] >= 0
    assert 0 < (parse_iso(doc["not_before"]) - clock.now()).total_seconds() <= 60
    assert released(store, clock) == []  # not yet
    clock.advance(seconds=61)
    assert released(store, clock) == [waiting]
    assert pipe.run([waiting]) == {waiting: "analyzed"}
    assert fake_gemini.calls == 2 and pipe.status(waiting) == "matched"


def test_budget_per_day_waits_until_tomorrow_best_ranked_first(
    store: Any, clock: FakeClock, fake_gemini: FakeGemini
) -> None:
    pipe = Pipeline(store, clock, Gemini(requests_per_minute=10, requests_per_day=1))
    ids = pipe.add(
        job(id="j-a", title="Backend Engineer"),
        job(id="j-b", title="Senior Python Backend Engineer"),
        job(id="j-c", title="Platform Engineer"),
    )
    outcome = pipe.run(ids)
    assert list(outcome.values()).count("waiting") == 2 and fake_gemini.calls == 1
    clock.advance(hours=1)
    assert released(store, clock) == []  # the daily budget is still spent
    clock.advance(days=1)
    due = released(store, clock)
    assert len(due) == 2
    rank = {i: store.get(JOBS, i)["rank"] for i in due}
    pipe.run(due)
    assert fake_gemini.calls == 2  # one more call today; the other waits again
    [still] = [i for i in ids if pipe.status(i) == "waiting"]
    assert rank[still] == min(rank.values())  # the better-ranked one went first


def test_429_retry_delay_is_honoured_by_every_instance(
    pipe: Pipeline, store: Any, clock: FakeClock, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(rate_limited("26s"))
    [jid] = pipe.add(job(id="j-429"))
    assert pipe.run([jid]) == {jid: "waiting"}
    assert (parse_iso(store.get(JOBS, jid)["not_before"]) - clock.now()).total_seconds() == 26
    other = Pipeline(store, clock, pipe.limits)  # another instance, same store
    clock.advance(seconds=20)
    assert other.run([jid]) == {jid: "waiting"}
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
    pipe.run(ids[:1])  # one at a time: a message's jobs go best-ranked first
    pipe.run(ids[1:])
    assert pipe.analysis("j-low").decision.value == "review"  # 52: review by the thresholds
    assert pipe.analysis("j-high").decision.value == "skip"  # the model's caution stands


def test_a_model_score_far_above_the_local_score_goes_to_review(
    pipe: Pipeline, fake_gemini: FakeGemini
) -> None:
    """A posting that talked the model into 100 while the local ranker says little is not
    applied to on its own (the default limit is 30 points)."""
    pipe.preferences = Preferences.model_validate({"scoring": {"llm_threshold": 0}})
    fake_gemini.script(answer(score=100, decision="apply"), answer(score=100, decision="apply"))
    [weak, strong] = pipe.add(
        job(id="j-weak", title="Account Executive", description=SALES + APPLY_AT),
        job(id="j-strong", description=job().description + APPLY_AT),
    )
    pipe.run([weak, strong])
    got = pipe.analysis(weak)
    assert got.score == 100 and got.decision == "review"
    assert any("points above the local score" in r for r in got.reasons)
    assert pipe.status(weak) == "review"
    assert pipe.analysis(strong).decision == "apply"  # close to the local score: trusted


def test_default_thinking_would_use_up_the_output_so_it_is_set(
    store: Any, clock: FakeClock, fake_gemini: FakeGemini
) -> None:
    """A Gemini 3 model left at its own thinking level (MEDIUM: about 1,100 thought tokens)
    fills max_output_tokens 1024 before answering; the adapter sets the level explicitly."""
    pipe = Pipeline(store, clock, Gemini(max_output_tokens=1024))
    [jid] = pipe.add(job(id="j-think"))
    pipe.run([jid])
    assert pipe.analysis(jid).llm_used
    assert pipe.status(jid) == "matched"


def test_max_tokens_falls_back_for_the_job_and_is_not_cached(
    pipe: Pipeline, fake_gemini: FakeGemini
) -> None:
    fake_gemini.script(max_tokens())
    [jid] = pipe.add(job(id="j-cut"))
    assert pipe.run([jid]) == {jid: "analyzed"}
    got = pipe.analysis(jid)
    assert not got.llm_used and got.fallback and "MAX_TOKENS" in got.fallback
    twin = job(id="j-cut-twin", job_url="https://www.linkedin.com/jobs/view/2/")
    pipe.run(pipe.add(twin))
    assert fake_gemini.calls == 2  # the truncated answer was not cached
    assert pipe.analysis("j-cut-twin").llm_used


def test_retired_model_falls_back_to_local_per_job_and_says_so(
    store: Any, clock: FakeClock, fake_gemini: FakeGemini
) -> None:
    """gemini-2.5-flash answers 404 NOT_FOUND: every job of the message is still analysed
    (by the local scorer, recorded on the analysis), and Gemini is asked once per message."""
    pipe = Pipeline(store, clock, Gemini(model="gemini-2.5-flash"))
    ids = pipe.add(job(id="j-a", title="Backend Engineer"), job(id="j-b", title="Python Engineer"))
    assert pipe.run(ids) == {"j-a": "analyzed", "j-b": "analyzed"}
    for jid in ids:
        got = pipe.analysis(jid)
        assert not got.llm_used and got.fallback and "gemini.model" in got.fallback
        assert pipe.status(jid) != "ingested"
    assert fake_gemini.calls == 1
    fixed = Pipeline(store, clock, Gemini())  # the setting corrected: nothing was cached
    fixed.run(fixed.add(job(id="j-c", title="Backend Engineer", job_url="https://x.example/3")))
    assert fixed.analysis("j-c").llm_used
