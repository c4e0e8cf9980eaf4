"""Replies and outcomes: did the employer answer, and what came of it.

The sending path records the Gmail thread of every sent application (``thread_id``). A
scheduled check (:func:`check_replies`, ``{"replies": true}`` on ``applications-ready``) asks
Gmail which of those threads got a message from someone else and marks the application
``replied``; ``autoapply mark ID interview|rejected|offer|withdrawn`` records the rest
(:func:`mark_outcome`). :func:`response_rates` gives the answer rate by source and score band.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from common.clock import iso
from common.domain.application import RESPONSES, ApplicationStatus, Outcome
from common.domain.candidate import Profile
from common.errors import ValidationError
from common.logging import get_logger
from common.ports import Clock, DocumentStore, MailboxReader, Where
from common.store.collections import APPLICATIONS, JOBS

log = get_logger("replies")
#: sent applications older than this are no longer watched
LOOKBACK = timedelta(days=60)


def check_replies(
    *, store: DocumentStore, mailer: MailboxReader, clock: Clock, profile: Profile
) -> dict[str, Any]:
    """Mark sent applications whose thread was answered; returns what was checked."""
    now = clock.now()
    since = now - LOOKBACK
    watched: dict[str, str] = {}
    for app_id, doc in store.query(
        APPLICATIONS, [Where("status", "==", ApplicationStatus.SENT.value)]
    ):
        if (
            doc.get("thread_id")
            and not doc.get("outcome")
            and doc.get("updated_at", "") >= iso(since)
        ):
            watched[str(doc["thread_id"])] = app_id
    if not watched:
        return {"checked": 0, "replied": []}
    answers = mailer.answered_threads(
        set(watched), since=since, own_address=profile.basics.email or ""
    )
    replied = []
    for answer in answers:
        app_id = watched[answer.thread_id]
        store.update(
            APPLICATIONS,
            app_id,
            {
                "outcome": Outcome.REPLIED.value,
                "outcome_at": iso(answer.at or now),
                "reply_from": answer.sender,
            },
        )
        replied.append(app_id)
    log.info("checked %d thread(s): %d answered", len(watched), len(replied))
    return {"checked": len(watched), "replied": replied}


def mark_outcome(store: DocumentStore, clock: Clock, app_id: str, outcome: str) -> str:
    """Record what came of an application (interview, rejected, offer, withdrawn, replied)."""
    try:
        value = Outcome(outcome)
    except ValueError:
        allowed = ", ".join(o.value for o in Outcome)
        raise ValidationError(
            f"outcome: expected one of {allowed}, got {outcome!r}", field="outcome"
        ) from None
    doc = store.get(APPLICATIONS, app_id)
    if doc is None:
        from common.errors import NotFoundError

        raise NotFoundError(f"application {app_id} does not exist", field="id")
    if doc.get("status") in (ApplicationStatus.REJECTED.value, ApplicationStatus.DUPLICATE.value):
        raise ValidationError(
            f"application {app_id} is {doc['status']}: it never went out", field="id"
        )
    store.update(APPLICATIONS, app_id, {"outcome": value.value, "outcome_at": iso(clock.now())})
    return value.value


def score_band(score: int | None) -> str:
    """``90-100``, ``80-89``, ... ``0-49`` (below the usual review threshold)."""
    if score is None:
        return "unscored"
    if score >= 90:
        return "90-100"
    if score < 50:
        return "0-49"
    low = score // 10 * 10
    return f"{low}-{low + 9}"


def response_rates(store: DocumentStore) -> dict[str, dict[str, dict[str, Any]]]:
    """Sent applications and the share answered, by source and by score band."""
    apps = [
        doc
        for _, doc in store.query(APPLICATIONS)
        if doc.get("status") == ApplicationStatus.SENT.value or doc.get("outcome")
    ]
    jobs = store.get_many(JOBS, [doc["job_id"] for doc in apps])
    counts: dict[str, dict[str, list[int]]] = {
        "source": defaultdict(lambda: [0, 0]),
        "score": defaultdict(lambda: [0, 0]),
    }
    for doc in apps:
        answered = doc.get("outcome") in {o.value for o in RESPONSES}
        source = str(jobs.get(doc["job_id"], {}).get("source") or "unknown")
        for axis, key in (("source", source), ("score", score_band(doc.get("score")))):
            counts[axis][key][0] += 1
            counts[axis][key][1] += int(answered)
    return {
        axis: {
            key: {"sent": sent, "answered": answered, "rate": round(answered / sent, 3)}
            for key, (sent, answered) in sorted(by.items())
        }
        for axis, by in counts.items()
    }
