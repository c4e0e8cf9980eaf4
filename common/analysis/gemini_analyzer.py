"""The Gemini analyzer: the prompt, one structured call, and code-side validation.

The model's answer is untrusted: it must match the schema (pydantic) and the score must be
0-100. The model is never asked for, and never names, a recipient: code chooses it from the
posting (:mod:`common.analysis.recipients`). Everything that leaves the system is decided by code.

An answer cut short (``finishReason: MAX_TOKENS``, e.g. when thoughts used the output
budget) or empty or not JSON is an :class:`IncompleteAnswer`: a failure of that call, never
a verdict to keep.
"""

from __future__ import annotations

from typing import Literal

import pydantic
from pydantic import BaseModel, Field, field_validator

from common.analysis.local_scorer import decide
from common.analysis.prompt import SCHEMA, build_prompt
from common.domain.analysis import Analysis, Decision
from common.domain.candidate import Profile
from common.domain.job import Job
from common.domain.preferences import Preferences
from common.errors import ValidationError, first_problem
from common.logging import get_logger
from common.ports import LlmClient

log = get_logger("gemini")

_ORDER = [Decision.SKIP, Decision.REVIEW, Decision.APPLY]


def _short(items: list[str], n: int = 15) -> list[str]:
    return [str(x)[:200] for x in items[:n]]


class Verdict(BaseModel):
    """The model's answer, validated."""

    score: int = Field(ge=0, le=100)
    decision: Decision
    reasons: list[str] = Field(default_factory=list)
    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    seniority_fit: Literal["under", "matches", "over"] | None = None
    red_flags: list[str] = Field(default_factory=list)

    _trim = field_validator("reasons", "matched", "missing", "red_flags")(_short)


class IncompleteAnswer(ValidationError):
    """The model's answer was cut short, empty or not JSON: a failed call, not a verdict."""


def parse_verdict(data: dict | None, text: str | None, finish: str | None = None) -> Verdict:
    """The validated verdict, or ValidationError naming what is wrong (IncompleteAnswer when
    there is no complete answer at all)."""
    if finish == "MAX_TOKENS":
        raise IncompleteAnswer(
            "Gemini answer cut short (MAX_TOKENS: thoughts and answer exceed "
            "gemini.max_output_tokens)"
        )
    if data is None:
        raise IncompleteAnswer(f"Gemini answer is not valid JSON: {(text or '')[:80]!r}")
    try:
        return Verdict.model_validate(data)
    except pydantic.ValidationError as exc:
        where, msg, _ = first_problem(exc)
        raise ValidationError(f"Gemini answer field '{where}': {msg}", field=where) from exc


class GeminiAnalyzer:
    """:class:`common.ports.Analyzer` backed by an :class:`LlmClient`."""

    remote = True

    def __init__(self, client: LlmClient, max_prompt_tokens: int = 2500) -> None:
        self.client = client
        self.max_prompt_tokens = max_prompt_tokens

    def analyze(self, job: Job, profile: Profile, preferences: Preferences) -> Analysis:
        """One call; ValidationError when the model refused or answered out of schema."""
        prompt = build_prompt(job, profile, self.max_prompt_tokens)
        reply = self.client.generate_json(prompt.system, prompt.parts, SCHEMA)
        log.info(
            "gemini answered: %s prompt tokens (%s cached), %s thought tokens, finish %s",
            reply.prompt_tokens,
            reply.cached_tokens,
            reply.thoughts_tokens,
            reply.finish_reason or reply.block_reason,
        )
        if reply.block_reason:
            raise ValidationError(f"Gemini refused the prompt ({reply.block_reason})")
        verdict = parse_verdict(reply.data, reply.text, reply.finish_reason)
        by_score = decide(verdict.score, preferences)
        decision = min(by_score, verdict.decision, key=_ORDER.index)
        return Analysis(
            job_id=job.id,
            score=verdict.score,
            decision=decision,
            reasons=verdict.reasons,
            matched=verdict.matched,
            missing=verdict.missing,
            seniority_fit=verdict.seniority_fit,
            red_flags=verdict.red_flags,
            llm_used=True,
            model=self.client.model,
            profile_version=profile.version(),
        )
