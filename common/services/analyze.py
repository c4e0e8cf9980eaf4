"""Analysis: score each ingested job once; publish the matches to ``jobs-matched``."""

from __future__ import annotations

from datetime import timedelta

from common.clock import iso
from common.domain.analysis import Decision
from common.domain.candidate import Profile
from common.domain.job import Job, JobStatus
from common.domain.preferences import Preferences
from common.errors import RetryableError
from common.events import JOBS_MATCHED
from common.logging import bound, get_logger
from common.ports import Analyzer, Clock, DocumentStore, MessageBus
from common.store.collections import ANALYSES, JOBS
from common.store.lease import ClaimState, run_once

log = get_logger("analyze")
LEASE = timedelta(minutes=5)
_STATUS = {
    Decision.APPLY: JobStatus.MATCHED,
    Decision.REVIEW: JobStatus.REVIEW,
    Decision.SKIP: JobStatus.SKIPPED,
}


def analyze_jobs(
    job_ids: list[str],
    *,
    store: DocumentStore,
    bus: MessageBus,
    clock: Clock,
    analyzer: Analyzer,
    profile: Profile,
    preferences: Preferences,
) -> dict[str, str]:
    """Analyze each job at most once; returns job id -> what happened."""
    outcome: dict[str, str] = {}
    busy: list[str] = []
    for job_id in job_ids:
        with bound(job_id=job_id):
            doc = store.get(JOBS, job_id)
            if doc is None:
                log.warning("job not found; skipped")
                outcome[job_id] = "missing"
                continue
            job = Job.from_doc(doc)

            def work(job: Job = job) -> dict[str, str]:
                analysis = analyzer.analyze(job, profile, preferences)
                analysis.created_at = clock.now()
                store.put(ANALYSES, job.id, analysis.to_doc())
                status = JobStatus.FILTERED if analysis.filtered_by else _STATUS[analysis.decision]
                store.update(JOBS, job.id, {"status": status.value, "updated_at": iso(clock.now())})
                if status is JobStatus.MATCHED:
                    bus.publish(JOBS_MATCHED, {"job_id": job.id})
                log.info("scored %d (%s)", analysis.score, analysis.decision.value)
                return {"score": str(analysis.score), "decision": analysis.decision.value}

            state = run_once(store, f"analyze:{job_id}", clock.now(), LEASE, work)
            outcome[job_id] = "analyzed" if state is ClaimState.ACQUIRED else state.value
            if state is ClaimState.BUSY:
                busy.append(job_id)
    if busy:
        raise RetryableError(f"{len(busy)} job(s) are being analyzed by another attempt")
    return outcome
