"""The local scorer: no network, the embedded default analyzer and the ranker before Gemini.

For each posting: read it (:mod:`common.analysis.posting`), compute the features against the
candidate (:mod:`common.analysis.features`), and rank it with the learned model
(:mod:`common.analysis.ranker`), plus the candidate's own model when they have labelled
postings (:mod:`common.analysis.feedback`). The lexical feature needs the document
frequencies of the postings seen so far (:class:`CorpusStats`): the caller feeds postings to
:meth:`LocalScorer.observe` (the stateless ``score`` command: every posting of the file first;
the analyze service: each batch, kept in the store).
"""

from __future__ import annotations

from collections import OrderedDict
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from typing import Any

from common.analysis.candidate import Candidate, candidate_of
from common.analysis.features import Facts, features
from common.analysis.feedback import FeedbackModel
from common.analysis.lexical import Bm25, CorpusStats
from common.analysis.posting import Posting, read_posting
from common.analysis.ranker import RankModel, load_model, reasons_of
from common.analysis.unglue import unglue
from common.domain.analysis import Analysis, Decision
from common.domain.candidate import Profile
from common.domain.experience import years_short
from common.domain.job import Job
from common.domain.preferences import Preferences, Targets
from common.logging import get_logger

log = get_logger("ranker")

_CACHE = 2048
#: postings the lexical statistics need before BM25 means anything; with fewer, the lexical
#: feature is neutral (the fitted mean)
MIN_CORPUS = 20


def decide(score: int, preferences: Preferences) -> Decision:
    """Apply the configured thresholds to a score."""
    if score >= preferences.scoring.apply_threshold:
        return Decision.APPLY
    if score >= preferences.scoring.review_threshold:
        return Decision.REVIEW
    return Decision.SKIP


@dataclass(frozen=True)
class Ranked:
    """One posting ranked: the score, the feature values, each one's share of the logit."""

    score: int
    logit: float
    values: dict[str, float]
    parts: dict[str, float]
    facts: Facts
    candidate: Candidate


class LocalScorer:
    """:class:`common.ports.Analyzer` without a model call."""

    remote = False

    def __init__(
        self,
        model: RankModel | None = None,
        stats: CorpusStats | None = None,
        feedback: FeedbackModel | None = None,
    ) -> None:
        self.model = model or load_model()
        self.stats = stats or CorpusStats()
        self.feedback = feedback
        self._cand: tuple[tuple[str, date], dict[str, Any], Candidate] | None = None
        self._version: tuple[Profile, str] | None = None
        self._bm25: tuple[int, Bm25] | None = None
        self._posts: OrderedDict[tuple[str, str], Posting] = OrderedDict()

    def version(self, profile: Profile) -> str:
        """``profile.version()``, computed once per profile object."""
        if self._version is None or self._version[0] is not profile:
            self._version = (profile, profile.version())
        return self._version[1]

    def candidate(self, profile: Profile, targets: Targets, today: date) -> Candidate:
        """The ranker's view of the profile (cached per profile version, targets and day)."""
        key = (self.version(profile), today)
        # the targets' field values, copied (a change made in place is seen) and compared
        # each call: a dict comparison, a tenth of the cost of the model's own __eq__
        if self._cand is None or self._cand[0] != key or self._cand[1] != vars(targets):
            self._cand = (key, deepcopy(vars(targets)), candidate_of(profile, today, targets))
            self._bm25 = None
            for gap in self._cand[2].gaps:
                log.warning("%s", gap)
        return self._cand[2]

    def posting(self, job: Job) -> Posting:
        """The posting read once per text (a small cache: ``score`` reads every posting
        twice, and a repost, the same title and text under another id, is read once)."""
        key = (job.title, job.description)  # what read_posting reads, nothing else
        post = self._posts.get(key)
        if post is None:
            post = read_posting(job.title, unglue(job.description))
            self._posts[key] = post
            if len(self._posts) > _CACHE:
                self._posts.popitem(last=False)
        return post

    def observe(self, job: Job, profile: Profile, targets: Targets, today: date) -> None:
        """Count ``job`` in the corpus statistics of the lexical feature."""
        cand = self.candidate(profile, targets, today)
        self.stats.add(self.posting(job).words, cand.query)
        self._bm25 = None

    def _lexical(self, cand: Candidate) -> Bm25:
        if self._bm25 is None or self._bm25[0] != self.stats.docs:
            self._bm25 = (self.stats.docs, Bm25(cand.query, self.stats))
        return self._bm25[1]

    def rank(self, job: Job, profile: Profile, preferences: Preferences) -> Ranked:
        """The posting's score and what moved it."""
        today = job.ingested_at.date() if job.ingested_at else date.today()
        cand = self.candidate(profile, preferences.targets, today)
        post = self.posting(job)
        values, facts = features(job, post, cand, self._lexical(cand))
        if self.stats.docs < MIN_CORPUS and "lexical" in self.model.features:
            values["lexical"] = self.model.mean[self.model.features.index("lexical")]
        logit, parts = self.model.logit(values)
        if self.feedback is not None and self.feedback.features == self.model.features:
            extra = self.feedback.logit(job, post, self.model.vector(values))
            parts["feedback"] = extra
            logit += extra
        score = self.model.score(logit, values["role"])
        return Ranked(score, logit, values, parts, facts, cand)

    def analyze(self, job: Job, profile: Profile, preferences: Preferences) -> Analysis:
        ranked = self.rank(job, profile, preferences)
        return Analysis(
            job_id=job.id,
            score=ranked.score,
            decision=decide(ranked.score, preferences),
            reasons=_reasons(ranked, self.model),
            matched=ranked.facts.matched,
            missing=ranked.facts.missing,
            seniority_fit=None
            if ranked.facts.level is None
            else f"{ranked.facts.level} vs {ranked.candidate.level}",
            llm_used=False,
            profile_version=self.version(profile),
        )


def _names(skills: list[str], most: int = 8) -> str:
    """The first ``most`` skills, and how many more there are."""
    more = len(skills) - most
    return ", ".join(skills[:most]) + (f" and {more} more" if more > 0 else "")


def _reasons(ranked: Ranked, model: RankModel) -> list[str]:
    facts, cand, values = ranked.facts, ranked.candidate, ranked.values
    out = reasons_of(ranked.parts)
    if values["role"] < model.off_role:
        out.insert(0, "the role is not one you have held")
    if facts.matched:
        out.append(f"you have {len(facts.matched)} required skill(s): {_names(facts.matched)}")
    if facts.missing:
        out.append(f"missing required: {_names(facts.missing)}")
    if facts.years is not None and years_short(facts.years, cand.years):
        out.append(f"asks for {facts.years}+ years, you have about {cand.years:.0f}")
    if facts.level and facts.level != cand.level:
        out.append(f"{facts.level} level, you are {cand.level}")
    return out or ["few signals either way"]
