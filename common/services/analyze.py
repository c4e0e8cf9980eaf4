"""Analysis: hard filters -> the local ranker -> Gemini for the best-ranked, within budget.

For one job (:func:`assess`):

1. a hard filter that fails records its rule (``filtered_by``) and stops;
2. the local ranker scores; without a remote analyzer that is the analysis;
3. a repost (``repost_of``) or another posting with the same fingerprint, for the same
   profile version and model, reuses the stored analysis: it never pays twice; under
   ``scoring.llm_threshold`` (clearly poor) the local analysis is final;
4. otherwise one Gemini call, counted in the shared budget first. A used-up budget or a 429
   raises :class:`BudgetExhausted`: the job waits (status ``waiting`` with a ``not_before``)
   and is released best-ranked first when budget frees (a 429's ``retryDelay`` is stored so no
   instance calls before it). An answer that is blocked
   or out of schema falls back to the local analysis, said so in the reasons and in
   ``fallback``, and is cached like a good one (the call was paid). An answer cut short
   (``MAX_TOKENS``), empty or not JSON falls back the same way but is never cached. A
   configuration Gemini refuses (a retired model: 404) falls back for every job of the
   message without asking again, uncached, and health reports it.

:func:`analyze_jobs` ranks the message's jobs first and runs that once per job, best-ranked
first (claims in the store), stores the analysis, moves the job's status and publishes
``jobs-matched``. A job the budget cannot serve now is stored ``waiting`` with its ``rank``
and ``not_before`` (when the budget frees) and acknowledged: it is never redelivered or
dead-lettered for budget; the sweep's ``waiting`` stage (:mod:`common.services.sweep`, or
``autoapply analyze``) sends the best-ranked waiting jobs back when budget frees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from common.analysis.contact import injected_sentences
from common.analysis.filters import apply_filters
from common.analysis.gemini_analyzer import IncompleteAnswer
from common.analysis.local_scorer import LocalScorer, decide
from common.analysis.recipients import choose_recipient
from common.clock import iso
from common.domain.analysis import CONFIRM_RECIPIENT, Analysis, Decision, shown_reasons
from common.domain.candidate import Profile
from common.domain.job import Job, JobStatus
from common.domain.preferences import Preferences
from common.errors import BudgetExhausted, ConfigError, RetryableError, ValidationError
from common.events import JOBS_MATCHED
from common.log_fields import emit
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


@dataclass
class Context:
    """What :func:`assess` needs besides the job."""

    store: DocumentStore
    clock: Clock
    analyzer: Analyzer
    profile: Profile
    preferences: Preferences
    limits: Gemini
    local: LocalScorer | None = None
    unusable: str | None = None  # set when Gemini's configuration failed in this message

    def __post_init__(self) -> None:
        self.version = self.profile.version()
        self.budget = LlmBudget(self.store, self.clock, self.limits)
        if self.local is None:
            self.local = self.analyzer if isinstance(self.analyzer, LocalScorer) else LocalScorer()


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
            "reasons": [*shown_reasons(was.reasons), f"same posting as {source}: analysis reused"],
            "created_at": None,
        }
    )


def _rank(decision: Decision) -> int:
    return [Decision.SKIP, Decision.REVIEW, Decision.APPLY].index(decision)


def assess(job: Job, ctx: Context) -> Analysis:
    """The analysis of ``job`` (no job status is changed here; the cache may be written)."""
    analysis = _guard(job, _assess(job, ctx))
    return analysis if analysis.filtered_by else _recipient(job, analysis)


def _recipient(job: Job, analysis: Analysis) -> Analysis:
    """Code chooses the recipient from this posting alone; an application address it may not
    send to, or a posting that asks to copy or redirect the application, needs a person."""
    choice = choose_recipient(job)
    analysis.contact_email = choice.recipient
    analysis.contact_held = choice.held
    analysis.contact_note = choice.note
    for concern in choice.suspicious:
        if concern not in analysis.red_flags:
            analysis.red_flags.append(concern)
    if choice.needs_review and analysis.decision is Decision.APPLY:
        analysis.decision = Decision.REVIEW
        if CONFIRM_RECIPIENT not in analysis.reasons:  # first: it is why the job waits;
            analysis.reasons.insert(0, CONFIRM_RECIPIENT)  # the why is contact_note
    return analysis


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
    assert ctx.local is not None
    local = ctx.local.analyze(job, ctx.profile, ctx.preferences)
    if not ctx.analyzer.remote:
        return local
    reused = _reused(job, ctx)
    if reused:
        return reused
    threshold = ctx.preferences.scoring.llm_threshold
    if local.score < threshold:
        local.reasons.append(f"rank {local.score} is under {threshold}: Gemini not asked")
        return local
    if ctx.unusable:  # the configuration failed for an earlier job of this message
        return _fallback(local, ctx.unusable)
    ctx.budget.reserve()
    try:
        analysis = ctx.analyzer.analyze(job, ctx.profile, ctx.preferences)
        analysis.reasons.append(f"local rank {local.score}")
        _check_lift(analysis, local.score, ctx.preferences.scoring.max_model_lift)
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


def _check_lift(analysis: Analysis, local: int, limit: int) -> None:
    """A model score far above the local rank is not trusted to apply on its own (a posting
    may have talked the model into it)."""
    lift = analysis.score - local
    if analysis.decision is Decision.APPLY and lift > limit:
        analysis.decision = Decision.REVIEW
        analysis.reasons.append(
            f"Gemini's score {analysis.score} is {lift} points above the local score {local}: "
            "a person should look"
        )


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
    """Analyze each job at most once, best-ranked first; returns job id -> what happened
    ("analyzed", "waiting", "done", "busy", "missing").

    A job the Gemini budget cannot serve now is stored ``waiting`` (never redelivered for
    budget). Raises RetryableError at the end only when another attempt holds some job."""
    from common.services.ranking import count_postings, load_scorer

    local = load_scorer(store, profile, preferences, clock)
    ctx = Context(store, clock, analyzer, profile, preferences, limits or Gemini(), local)
    outcome: dict[str, str] = {}
    jobs: list[Job] = []
    docs = store.get_many(JOBS, job_ids)
    for job_id in dict.fromkeys(job_ids):
        if job_id not in docs:
            with bound(job_id=job_id):
                log.warning("job not found; skipped")
            outcome[job_id] = "missing"
            continue
        jobs.append(Job.from_doc(docs[job_id]))
    count_postings(
        store,
        local,
        [j for j in jobs if j.status is JobStatus.INGESTED],
        profile,
        preferences,
        clock,
    )
    ranks = {j.id: local.rank(j, profile, preferences).score for j in jobs}
    busy: list[str] = []
    waiting: BudgetExhausted | None = None
    for job in sorted(jobs, key=lambda j: -ranks[j.id]):
        with bound(job_id=job.id):
            if (
                waiting is not None
                and ctx.analyzer.remote
                and ranks[job.id] >= (preferences.scoring.llm_threshold)
                and not _reused(job, ctx)
                and not apply_filters(job, preferences.filters, clock.now())
            ):
                _wait(store, job, ranks[job.id], waiting, clock)
                outcome[job.id] = "waiting"
                continue

            def work(job: Job = job) -> dict[str, str]:
                analysis = assess(job, ctx)
                analysis.created_at = clock.now()
                store.put(ANALYSES, job.id, analysis.to_doc())
                status = JobStatus.FILTERED if analysis.filtered_by else _STATUS[analysis.decision]
                store.update(
                    JOBS,
                    job.id,
                    {"status": status.value, "updated_at": iso(clock.now()), "not_before": None},
                )
                if status is JobStatus.MATCHED:
                    bus.publish(JOBS_MATCHED, {"job_id": job.id})
                decision = "filtered" if analysis.filtered_by else analysis.decision.value
                emit(
                    log,
                    "job_analyzed",
                    "scored %d (%s)",
                    analysis.score,
                    decision,
                    decision=decision,
                )
                return {"score": str(analysis.score), "decision": analysis.decision.value}

            try:
                state = run_once(store, f"analyze:{job.id}", clock.now(), LEASE, work)
            except BudgetExhausted as exc:
                waiting = exc
                _wait(store, job, ranks[job.id], exc, clock)
                outcome[job.id] = "waiting"
                continue
            outcome[job.id] = "analyzed" if state is ClaimState.ACQUIRED else state.value
            if state is ClaimState.BUSY:
                busy.append(job.id)
    if waiting is not None:
        n = sum(1 for v in outcome.values() if v == "waiting")
        log.info("%d job(s) wait for the Gemini budget: %s", n, waiting.message)
    if busy:
        raise RetryableError(f"{len(busy)} job(s) are being analyzed by another attempt")
    return outcome


def _wait(store: DocumentStore, job: Job, rank: int, why: BudgetExhausted, clock: Clock) -> None:
    """Store ``job`` as waiting for the budget, with its rank and when it may go again."""
    after = timedelta(seconds=max(why.retry_after or 60.0, 1.0))
    store.update(
        JOBS,
        job.id,
        {
            "status": JobStatus.WAITING.value,
            "rank": rank,
            "not_before": iso(clock.now() + after),
            "updated_at": iso(clock.now()),
        },
    )
