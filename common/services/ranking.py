"""The ranker's state in the store, shared by every instance: corpus statistics, the
candidate's labels and learned model, and the jobs waiting for the Gemini budget.

Documents (collection ``ranker``):

- ``corpus:<profile version>``: :class:`CorpusStats` of the postings analyzed so far (the
  lexical feature's document frequencies), updated once per batch in a transaction;
- ``feedback``: the candidate's :class:`FeedbackModel` with the profile version and label
  count it was trained for. Stale (new labels, another profile) or unreadable, it is rebuilt
  from the labels (collection ``labels``), never trusted and never a crash.

Jobs waiting for budget have status ``waiting``, ``rank`` and ``not_before``;
the sweep's ``waiting`` stage (:mod:`common.services.sweep`) sends the due ones back to
analysis, which takes them best-ranked first.
"""

from __future__ import annotations

from typing import Any

from common.analysis.feedback import FeedbackModel, train, word_vector
from common.analysis.lexical import CorpusStats
from common.analysis.local_scorer import LocalScorer
from common.clock import iso, parse_iso
from common.domain.candidate import Profile
from common.domain.job import Job, JobStatus
from common.domain.preferences import Preferences
from common.errors import NotFoundError, ValidationError
from common.logging import get_logger
from common.ports import Clock, DocumentStore, Where
from common.store.collections import JOBS, LABELS, RANKER

log = get_logger("ranking")
FEEDBACK_DOC = "feedback"
#: labels needed before the candidate's model is trained
MIN_LABELS = 10


def corpus_doc(profile: Profile) -> str:
    """The id of the corpus statistics document for ``profile``."""
    return f"corpus:{profile.version()}"


def load_scorer(
    store: DocumentStore, profile: Profile, preferences: Preferences, clock: Clock
) -> LocalScorer:
    """A local scorer with the stored corpus statistics and the candidate's model."""
    scorer = LocalScorer(stats=CorpusStats.from_doc(store.get(RANKER, corpus_doc(profile))))
    scorer.feedback = feedback_model(store, scorer, profile, preferences, clock)
    return scorer


def count_postings(
    store: DocumentStore,
    scorer: LocalScorer,
    jobs: list[Job],
    profile: Profile,
    preferences: Preferences,
    clock: Clock,
) -> None:
    """Add ``jobs`` to the corpus statistics, in the scorer and in the store (one write)."""
    if not jobs:
        return
    batch = CorpusStats()
    cand = scorer.candidate(profile, preferences.targets, clock.now().date())
    for job in jobs:
        batch.add(scorer.posting(job).words, cand.query)
        scorer.observe(job, profile, preferences.targets, clock.now().date())

    def step(doc: dict[str, Any] | None) -> dict[str, Any]:
        stats = CorpusStats.from_doc(doc)
        stats.docs += batch.docs
        stats.length += batch.length
        for term, n in batch.df.items():
            stats.df[term] = stats.df.get(term, 0) + n
        return stats.to_doc()

    store.transact(RANKER, corpus_doc(profile), step)


def record_label(store: DocumentStore, job_id: str, good: bool, source: str, clock: Clock) -> None:
    """Keep the candidate's judgement of a job (the latest wins); the model is rebuilt from
    the labels on its next use. ``source``: approve, reject, label."""
    if store.get(JOBS, job_id) is None:
        raise NotFoundError(f"job {job_id} is not in the store")
    store.put(
        LABELS,
        job_id,
        {"job_id": job_id, "good": bool(good), "source": source, "at": iso(clock.now())},
    )


def feedback_model(
    store: DocumentStore,
    scorer: LocalScorer,
    profile: Profile,
    preferences: Preferences,
    clock: Clock,
) -> FeedbackModel | None:
    """The candidate's model: the stored one when it is current, else rebuilt from the labels
    (and stored); None with fewer than MIN_LABELS labels of both kinds."""
    labels = {i: bool(d.get("good")) for i, d in store.query(LABELS)}
    if len(labels) < MIN_LABELS or len(set(labels.values())) < 2:
        return None
    stamp = {"profile_version": profile.version(), "labels": sorted(labels.items())}
    doc = store.get(RANKER, FEEDBACK_DOC)
    if doc and doc.get("stamp") == stamp:
        try:
            return FeedbackModel.from_doc(doc.get("model") or {})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("stored feedback model unreadable (%s): rebuilt from the labels", exc)
    jobs = [Job.from_doc(d) for d in store.get_many(JOBS, list(labels)).values()]
    model = build_feedback(scorer, jobs, [labels[j.id] for j in jobs], profile, preferences)
    if model is not None:
        store.put(
            RANKER,
            FEEDBACK_DOC,
            {"stamp": stamp, "model": model.to_doc(), "trained_at": iso(clock.now())},
        )
    return model


def build_feedback(
    scorer: LocalScorer,
    jobs: list[Job],
    labels: list[bool],
    profile: Profile,
    preferences: Preferences,
) -> FeedbackModel | None:
    """Train the candidate's model on labelled jobs (None without both kinds of label)."""
    if len(set(labels)) < 2:
        return None
    saved, scorer.feedback = scorer.feedback, None
    try:
        ranked = [scorer.rank(job, profile, preferences) for job in jobs]
    finally:
        scorer.feedback = saved
    model = scorer.model
    return train(
        model.features,
        [model.vector(r.values) for r in ranked],
        [word_vector(job, scorer.posting(job)) for job in jobs],
        [r.logit for r in ranked],
        labels,
    )


def read_feedback_file(path: str, known: set[str]) -> dict[str, bool]:
    """``{source_id: true|false}`` from a JSON file; ValidationError names the first bad entry
    (an id not among ``known``, a value that is not a boolean)."""
    import json
    from pathlib import Path

    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"--feedback {path}: not a readable JSON file ({exc})") from exc
    if not isinstance(raw, dict):
        raise ValidationError(f"--feedback {path}: expected an object of source_id: true|false")
    for key, value in raw.items():
        if not isinstance(value, bool):
            raise ValidationError(
                f"--feedback {path}: entry {key!r} is {value!r}, expected true or false"
            )
        if key not in known:
            raise ValidationError(f"--feedback {path}: entry {key!r} is not a posting of --jobs")
    return raw


def due_waiting(store: DocumentStore, clock: Clock, limit: int | None = None) -> list[str]:
    """Waiting jobs whose ``not_before`` has passed, best-ranked first (at most ``limit``)."""
    now = clock.now()
    rows = store.query(JOBS, [Where("status", "==", JobStatus.WAITING.value)])
    due = [
        (int(d.get("rank") or 0), i)
        for i, d in rows
        if not d.get("not_before") or parse_iso(d["not_before"]) <= now
    ]
    return [i for _, i in sorted(due, key=lambda r: (-r[0], r[1]))][:limit]


def reopen_for_rescore(store: DocumentStore, clock: Clock) -> list[str]:
    """Put every job not yet applied to back to ``ingested`` (its analysis claim cleared) so
    that analysis ranks it again; returns the ids. Jobs with documents or an application,
    and filtered or duplicate jobs, are left alone."""
    from common.store.collections import APPLICATIONS, CLAIMS

    applied = {str(d.get("job_id")) for _, d in store.query(APPLICATIONS)}
    states = [JobStatus.SKIPPED, JobStatus.REVIEW, JobStatus.WAITING, JobStatus.MATCHED]
    ids = []
    for status in states:
        for job_id, _ in store.query(JOBS, [Where("status", "==", status.value)]):
            if job_id in applied:
                continue
            store.delete(CLAIMS, f"analyze:{job_id}")
            store.update(
                JOBS, job_id, {"status": JobStatus.INGESTED.value, "updated_at": iso(clock.now())}
            )
            ids.append(job_id)
    return ids


def label_application(
    store: DocumentStore, app_id: str, good: bool, source: str, clock: Clock
) -> None:
    """Record the candidate's judgement of the job behind an application (approve/reject);
    an unknown application or job records nothing."""
    from common.store.collections import APPLICATIONS

    doc = store.get(APPLICATIONS, app_id)
    job_id = str(doc.get("job_id")) if doc and doc.get("job_id") else None
    if job_id and store.get(JOBS, job_id) is not None:
        record_label(store, job_id, good, source, clock)
