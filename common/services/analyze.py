"""Analysis: hard filters -> local pre-score -> Gemini only where it pays; each job once.

For one job (:func:`assess`):

1. a hard filter that fails records its rule (``filtered_by``) and stops;
2. the local scorer pre-scores; without a remote analyzer that is the analysis;
3. a repost (``repost_of``) or another posting with the same fingerprint, for the same
   profile version and model, reuses the stored analysis: it never pays twice; under
   ``scoring.llm_threshold`` the local analysis is final;
4. otherwise one Gemini call, counted in the shared budget first. A used-up budget or a 429
   raises :class:`BudgetExhausted`: the job stays ``ingested`` and is redelivered later (a
   429's ``retryDelay`` is stored so no instance calls before it). An answer that is blocked
   or out of schema falls back to the local analysis, said so in the reasons and in
   ``fallback``, and is cached like a good one (the call was paid). An answer cut short
   (``MAX_TOKENS``), empty or not JSON falls back the same way but is never cached. A
   configuration Gemini refuses (a retired model: 404) falls back for every job of the
   message without asking again, uncached, and health reports it.

:func:`analyze_jobs` runs that once per job (claims in the store), stores the analysis, moves
the job's status and publishes ``jobs-matched``; jobs waiting for budget are retried by
raising at the end, after every other job of the message is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from common.analysis.contact import injected_sentences, verified_contact
from common.analysis.filters import apply_filters
from common.analysis.gemini_analyzer import IncompleteAnswer
from common.analysis.local_scorer import LocalScorer, decide
from common.clock import iso
from common.domain.analysis import Analysis, Decision
from common.domain.candidate import Profile
from common.domain.job import Job, JobStatus
from common.domain.preferences import Preferences
from common.errors import BudgetExhausted, ConfigError, RetryableError, ValidationError
from common.events import JOBS_MATCHED
from common.logging import bound, get_logger
from common.ports import Analyzer, Clock, DocumentStore, MessageBus
from common.services.llm_budget import LlmBudget
from common.settings import Gemini
from common.store.collections import ANALYSES, ANALYSIS_CACHE, JOBS
from common.store.lease import ClaimState, run_once

log = get_logger("analyze")
LEASE = timedelta(minutes=5)
_STATUS = {
    Decision.APPLY: JobStatus.MATCHED,
    Decision.REVIEW: JobStatus.REVIEW,
    Decision.SKIP: JobStatus.SKIPPED,
}
_LOCAL = LocalScorer()


@dataclass
class Context:
    """What :func:`assess` needs besides the job."""

    store: DocumentStore
    clock: Clock
    analyzer: Analyzer
    profile: Profile
    preferences: Preferences
    limits: Gemini
    unusable: str | None = None  # set when Gemini's configuration failed in this message

    def __post_init__(self) -> None:
        self.version = self.profile.version()
        self.budget = LlmBudget(self.store, self.clock, self.limits)


def cache_key(job: Job, ctx: Context) -> str | None:
    """``fingerprint:profile version:model``, or None for a job without a fingerprint."""
    if not job.fingerprint:
        return None
    return f"{job.fingerprint}:{ctx.version}:{ctx.limits.model.replace('/', '_')}"


def _reused(job: Job, ctx: Context) -> Analysis | None:
    doc = None
    if job.repost_of:
        doc = ctx.store.get(ANALYSES, job.repost_of)
        if doc and (doc.get("profile_version") != ctx.version or doc.get("filtered_by")):
            doc = None
    key = cache_key(job, ctx)
    if doc is None and key:
        doc = ctx.store.get(ANALYSIS_CACHE, key)
    if doc is None:
        return None
    was = Analysis.from_doc(doc)
    source = job.repost_of or was.job_id
    return was.model_copy(
        update={
            "job_id": job.id,
            "decision": min(decide(was.score, ctx.preferences), was.decision, key=_rank),
            # the address must be in *this* posting: code re-checks it
            "contact_email": verified_contact(job, was.contact_email),
            "reasons": [*was.reasons, f"same posting as {source}: analysis reused"],
            "created_at": None,
        }
    )


def _rank(decision: Decision) -> int:
    return [Decision.SKIP, Decision.REVIEW, Decision.APPLY].index(decision)


def assess(job: Job, ctx: Context) -> Analysis:
    """The analysis of ``job`` (no job status is changed here; the cache may be written)."""
    return _guard(job, _assess(job, ctx))


def _guard(job: Job, analysis: Analysis) -> Analysis:
    """Code's last word: a posting that talks to an AI is never applied to automatically."""
    if injected_sentences(f"{job.title}\n{job.description}"):
        flag = "the posting contains instructions aimed at an AI: a person should look"
        if flag not in analysis.red_flags:
            analysis.red_flags.append(flag)
        if analysis.decision is Decision.APPLY:
            analysis.decision = Decision.REVIEW
    return analysis


def _assess(job: Job, ctx: Context) -> Analysis:
    hit = apply_filters(job, ctx.preferences.filters, ctx.clock.now())
    if hit:
        return Analysis(
            job_id=job.id,
            score=0,
            decision=Decision.SKIP,
            reasons=[hit.reason],
            filtered_by=hit.rule,
            profile_version=ctx.version,
        )
    local = _LOCAL.analyze(job, ctx.profile, ctx.preferences)
    if not ctx.analyzer.remote:
        return local
    reused = _reused(job, ctx)
    if reused:
        return reused
    threshold = ctx.preferences.scoring.llm_threshold
    if local.score < threshold:
        local.reasons.append(
            f"local pre-score {local.score} is under {threshold}: Gemini not asked"
        )
        return local
    if ctx.unusable:  # the configuration failed for an earlier job of this message
        return _fallback(local, ctx.unusable)
    ctx.budget.reserve()
    try:
        analysis = ctx.analyzer.analyze(job, ctx.profile, ctx.preferences)
        analysis.reasons.append(f"local pre-score {local.score}")
    except BudgetExhausted as exc:
        ctx.budget.cool_down(exc.retry_after)
        raise
    except ConfigError as exc:  # a retired model (404), a refused setting: no job waits
        log.error("Gemini not usable, the local scorer analyses: %s", exc.message)
        ctx.unusable = f"Gemini not usable: {exc.message}"
        return _fallback(local, ctx.unusable)  # not cached: fix the setting, ask again
    except ValidationError as exc:
        log.warning("Gemini answer not usable, local analysis kept: %s", exc)
        analysis = _fallback(local, f"Gemini answer not usable ({exc.message})")
        if isinstance(exc, IncompleteAnswer):
            return analysis  # a failed call (cut short, not JSON): never cached
    key = cache_key(job, ctx)
    if key:
        ctx.store.put(ANALYSIS_CACHE, key, analysis.to_doc())
    return analysis


def _fallback(local: Analysis, why: str) -> Analysis:
    """The local analysis standing in for Gemini's, with the reason recorded on it."""
    return local.model_copy(update={"reasons": [*local.reasons, why], "fallback": why})


def analyze_jobs(
    job_ids: list[str],
    *,
    store: DocumentStore,
    bus: MessageBus,
    clock: Clock,
    analyzer: Analyzer,
    profile: Profile,
    preferences: Preferences,
    limits: Gemini | None = None,
) -> dict[str, str]:
    """Analyze each job at most once; returns job id -> what happened.

    Raises RetryableError (BudgetExhausted when the budget is the reason) at the end when some
    jobs must wait, so the message comes back for them; the others are done and stay done."""
    ctx = Context(store, clock, analyzer, profile, preferences, limits or Gemini())
    outcome: dict[str, str] = {}
    busy: list[str] = []
    waiting: BudgetExhausted | None = None
    for job_id in job_ids:
        with bound(job_id=job_id):
            doc = store.get(JOBS, job_id)
            if doc is None:
                log.warning("job not found; skipped")
                outcome[job_id] = "missing"
                continue
            job = Job.from_doc(doc)

            def work(job: Job = job) -> dict[str, str]:
                analysis = assess(job, ctx)
                analysis.created_at = clock.now()
                store.put(ANALYSES, job.id, analysis.to_doc())
                status = JobStatus.FILTERED if analysis.filtered_by else _STATUS[analysis.decision]
                store.update(JOBS, job.id, {"status": status.value, "updated_at": iso(clock.now())})
                if status is JobStatus.MATCHED:
                    bus.publish(JOBS_MATCHED, {"job_id": job.id})
                log.info("scored %d (%s)", analysis.score, analysis.decision.value)
                return {"score": str(analysis.score), "decision": analysis.decision.value}

            try:
                state = run_once(store, f"analyze:{job_id}", clock.now(), LEASE, work)
            except BudgetExhausted as exc:
                waiting = exc
                outcome[job_id] = "waiting"
                continue
            outcome[job_id] = "analyzed" if state is ClaimState.ACQUIRED else state.value
            if state is ClaimState.BUSY:
                busy.append(job_id)
    if waiting is not None:
        n = sum(1 for v in outcome.values() if v == "waiting")
        raise BudgetExhausted(
            f"{n} job(s) wait for the Gemini budget: {waiting.message}",
            retry_after=waiting.retry_after,
        )
    if busy:
        raise RetryableError(f"{len(busy)} job(s) are being analyzed by another attempt")
    return outcome
