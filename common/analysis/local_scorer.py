"""The local scorer: no network, the embedded default analyzer.

Walking-skeleton version: the share of the candidate's skills and keywords that the posting
names, with a bonus for a title that matches a past position.
"""

from __future__ import annotations

import re

from common.domain.analysis import Analysis, Decision
from common.domain.candidate import Profile
from common.domain.job import Job
from common.domain.preferences import Preferences
from common.normalize.text import find_emails


def _terms(profile: Profile) -> list[str]:
    terms: list[str] = []
    for skill in profile.skills:
        terms.append(skill.name)
        terms.extend(skill.keywords)
    return list(dict.fromkeys(t.strip() for t in terms if t and t.strip()))


def _mentions(term: str, text: str) -> bool:
    return re.search(rf"(?<![\w+#]){re.escape(term.lower())}(?![\w+#])", text) is not None


def decide(score: int, preferences: Preferences) -> Decision:
    """Apply the configured thresholds to a score."""
    if score >= preferences.scoring.apply_threshold:
        return Decision.APPLY
    if score >= preferences.scoring.review_threshold:
        return Decision.REVIEW
    return Decision.SKIP


def verified_contact(job: Job) -> str | None:
    """An application address only if it is written literally in the posting."""
    literal = set(find_emails(job.description)) | {e.lower() for e in job.emails}
    for email in job.emails:
        if email.lower() in literal:
            from email_validator import EmailNotValidError, validate_email

            try:
                return validate_email(email, check_deliverability=False).normalized
            except EmailNotValidError:
                continue
    return None


class LocalScorer:
    """:class:`common.ports.Analyzer` without a model."""

    def analyze(self, job: Job, profile: Profile, preferences: Preferences) -> Analysis:
        text = f"{job.title}\n{job.description}".lower()
        terms = _terms(profile)
        matched = [t for t in terms if _mentions(t, text)]
        titles = {w.position.lower() for w in profile.work if w.position}
        title_hit = any(t and (t in job.title.lower() or job.title.lower() in t) for t in titles)
        share = len(matched) / max(1, min(len(terms), 8))
        score = round(min(1.0, share) * 80 + (20 if title_hit else 0))
        reasons = [
            f"names {len(matched)} of your skills: {', '.join(matched[:8])}"
            if matched
            else "names none of your skills"
        ]
        if title_hit:
            reasons.append("title matches a position you held")
        return Analysis(
            job_id=job.id,
            score=score,
            decision=decide(score, preferences),
            reasons=reasons,
            matched=matched,
            contact_email=verified_contact(job),
            llm_used=False,
            profile_version=profile.version(),
        )
