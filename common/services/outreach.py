"""Outreach: deliver each application email exactly once, within the sending policy.

Modes (``sending.mode``): ``outbox`` writes ``.eml`` files; ``draft`` creates Gmail drafts for
the candidate to review (``autoapply review / approve / reject``); ``send`` sends applications
scoring at least ``min_score_to_send`` and drafts the others. Only sends pass the cap, the
company cooldown and quiet hours; every mode refuses a second application to the same job (or
a repost) or the same role at the same address.

Exactly once: the outbox record (``common.outreach.outbox``) is claimed with a lease,
``submitted_at`` is recorded before the mailer is called, and an attempt that finds a previous
one unfinished reconciles with the mailbox before it sends anything. ``checkpoint(step)`` is
called between the steps (tests inject crashes there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from common.clock import iso, parse_iso
from common.domain.analysis import shown_reasons
from common.domain.application import Application, ApplicationStatus
from common.domain.candidate import Profile
from common.domain.preferences import Sending
from common.errors import (
    AuthError,
    BudgetExhausted,
    DailyLimitExceeded,
    NotFoundError,
    OutcomeUnknown,
    PermanentError,
    RetryableError,
    ValidationError,
)
from common.log_fields import emit
from common.logging import bound, get_logger
from common.outreach import outbox, policy
from common.outreach.compose import Composed, compose
from common.outreach.compose import message_id as message_id  # the public name, kept here
from common.ports import Clock, DocumentStore, Mailer, MailResult, ObjectStore, Where
from common.store.collections import ANALYSES, APPLICATIONS, JOBS, LEDGER, OUTBOX
from common.store.lease import new_owner

log = get_logger("outreach")
GMAIL_STATE = "gmail"
#: how far before ``submitted_at`` the fallback search looks (clock skew, slow answers)
SEARCH_SLACK = timedelta(minutes=10)
Checkpoint = Callable[[str], None]


def _no_checkpoint(step: str) -> None:
    return None


def _load(store: DocumentStore, app_id: str) -> Application:
    doc = store.get(APPLICATIONS, app_id)
    if doc is None:
        raise NotFoundError(f"application {app_id} does not exist", field="application_id")
    return Application.from_doc(doc)


def mirror(store: DocumentStore, app_id: str, record: dict[str, Any], now: datetime) -> str:
    """Copy the outbox record's outcome onto the application; returns its status."""
    state = str(record.get("state", "pending"))
    fields: dict[str, Any] = {"status": ApplicationStatus(state).value, "updated_at": iso(now)}
    for key in ("delivery", "subject", "message_id", "error", "reason", "not_before", "thread_id"):
        if key in record:
            fields[key] = record[key]
    store.update(APPLICATIONS, app_id, fields)
    return state


def gmail_state(store: DocumentStore) -> dict[str, Any]:
    """The last Gmail authorization problem (for health), or ``{"status": "ok"}``."""
    return store.get(LEDGER, GMAIL_STATE) or {"status": "ok"}


def _record_auth(store: DocumentStore, now: datetime, error: str | None) -> None:
    current = store.get(LEDGER, GMAIL_STATE)
    if error is None and (current is None or current.get("status") == "ok"):
        return
    doc = {"status": "auth_failed", "error": error} if error else {"status": "ok", "error": None}
    store.put(LEDGER, GMAIL_STATE, {**doc, "at": iso(now)})


def _log_outcome(status: str, mode: str | None, note: str = "") -> None:
    """An ``application`` event: the funnel's drafted / sent / deferred / no_contact counts."""
    emit(log, "application", "application %s %s", status, note, status=status, mode=mode)


@dataclass
class _Attempt:
    """One attempt at one application, holding the outbox lease as ``owner``."""

    app: Application
    store: DocumentStore
    mailer: Mailer
    clock: Clock
    sending: Sending
    checkpoint: Checkpoint
    purpose: str = "deliver"
    owner: str = field(default_factory=new_owner)

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.sending.lease_seconds)

    def claim(self, claimable: frozenset[str], purpose: str) -> outbox.Claimed:
        claimed = outbox.claim(
            self.store, self.app.id, self.owner, self.clock.now(), self.lease, claimable, purpose
        )
        if claimed.take is outbox.Take.BUSY:
            raise RetryableError(
                f"application {self.app.id} is being delivered by another attempt",
                retry_after=self.sending.lease_seconds,
            )
        return claimed

    def finish(self, state: str, **fields: Any) -> str:
        now = self.clock.now()
        record = outbox.finish(self.store, self.app.id, state, now, fields)
        self.checkpoint("recorded")
        _log_outcome(state, record.get("mode"))
        return mirror(self.store, self.app.id, record, now)

    def reopen(self, *, nothing_sent: bool, state: str | None = None, **fields: Any) -> str:
        now = self.clock.now()
        outbox.reopen(
            self.store, self.app.id, self.owner, now, fields, nothing_sent=nothing_sent, state=state
        )
        record = self.store.get(OUTBOX, self.app.id) or {}
        return mirror(self.store, self.app.id, record, now)

    def defer(self, verdict: policy.Verdict) -> str:
        """Wait until ``verdict.not_before``: a delivery is deferred; an approval stays a draft
        and BudgetExhausted tells the person when to approve again."""
        until = verdict.not_before or self.clock.now()
        if self.purpose == "approve":
            self.reopen(nothing_sent=True)
            raise BudgetExhausted(f"{verdict.reason}; approve again after {iso(until)}")
        state = self.reopen(
            nothing_sent=True, state="deferred", not_before=iso(until), reason=verdict.reason
        )
        _log_outcome("deferred", None, f"until {iso(until)}: {verdict.reason}")
        return state

    def reconcile(self, record: dict[str, Any], mode: str) -> str | None:
        """Look in the mailbox for what an unfinished earlier attempt may have delivered.

        Not before ``reconcile_after_seconds`` have passed since that attempt called the
        mailer, so that a message Gmail accepted has reached the mailbox search (an ``.eml``
        outbox file is there at once: no wait).
        """
        submitted = parse_iso(record["submitted_at"])
        wait = 0 if mode == "outbox" else self.sending.reconcile_after_seconds
        settle = submitted + timedelta(seconds=wait)
        now = self.clock.now()
        if now < settle:
            self.reopen(nothing_sent=False)
            raise RetryableError(
                f"application {self.app.id}: an earlier attempt may have delivered it; "
                f"checking the mailbox after {iso(settle)}",
                retry_after=(settle - now).total_seconds(),
            )
        since = submitted - SEARCH_SLACK
        try:
            found = self.mailer.find_sent(
                message_id=record["message_id"],
                recipient=record.get("recipient"),
                subject=record.get("subject"),
                since=since,
                mode=mode,
            )
        except AuthError as exc:  # e.g. a token without a read scope: say so, hold nothing
            _record_auth(self.store, now, exc.message)
            log.error("mailbox search refused: %s", exc.message)
            self.reopen(nothing_sent=False, error=exc.message)
            raise
        _record_auth(self.store, now, None)
        self.checkpoint("reconciled")
        log.info("reconciled with the mailbox: %s", found or "not delivered")
        return found

    def submit(self, facts: dict[str, Any], call: Callable[[], MailResult], sends: bool) -> str:
        """Record ``submitted_at``, call the mailer once, record the outcome."""
        now = self.clock.now()
        outbox.mark_submitting(self.store, self.app.id, self.owner, now, facts)
        self.checkpoint("submitting")
        try:
            result = call()
        except DailyLimitExceeded as exc:  # for hours: pause and defer, never redeliver
            self._give_back(sends)
            until = policy.pause_sending(self.store, now, exc.message, at_least=exc.until)
            log.warning("Gmail sending limit reached; sending paused until %s", iso(until))
            return self.defer(policy.Verdict(False, str(exc), until))
        except AuthError as exc:
            _record_auth(self.store, now, exc.message)
            self._give_back(sends)
            log.error("Gmail authorization failed: %s", exc.message)
            if self.purpose == "approve":
                self.reopen(nothing_sent=True)
            else:
                retry = now + timedelta(minutes=self.sending.retry_minutes)
                self.defer(policy.Verdict(False, exc.message, retry))
            raise
        except OutcomeUnknown as exc:
            self.reopen(nothing_sent=False, error=exc.message)
            raise
        except RetryableError as exc:  # Gmail refused it (429, rate-limit 403): nothing sent
            self._give_back(sends)
            self.reopen(nothing_sent=True, error=exc.message)
            raise
        except PermanentError as exc:
            self._give_back(sends)
            log.error("delivery failed for good: %s", exc.message)
            return self.finish("failed", error=exc.message)
        self.checkpoint("accepted")
        _record_auth(self.store, now, None)
        log.info("application %s: %s", result.status, result.locator)
        return self.finish(result.status, delivery=result.locator, thread_id=result.thread_id)

    def _give_back(self, sends: bool) -> None:
        if sends:
            policy.release_send(self.store, self.app.id, self.app.company)


def _mode(app: Application, sending: Sending) -> tuple[str, str | None]:
    if sending.mode == "send" and (app.score or 0) < sending.min_score_to_send:
        note = f"score {app.score} is below min_score_to_send {sending.min_score_to_send}: drafted"
        return "draft", note
    return sending.mode, None


def deliver_application(
    app_id: str,
    *,
    store: DocumentStore,
    objects: ObjectStore,
    mailer: Mailer,
    clock: Clock,
    profile: Profile,
    sending: Sending,
    checkpoint: Checkpoint = _no_checkpoint,
) -> str:
    """Deliver ``app_id`` exactly once in ``sending.mode``; returns the application's status."""
    with bound(application_id=app_id):
        app = _load(store, app_id)
        if app.status is ApplicationStatus.DOCUMENTS:
            raise RetryableError(f"application {app_id}: documents are still being written")
        now = clock.now()
        if app.status is ApplicationStatus.DEFERRED and app.not_before and app.not_before > now:
            return app.status.value
        attempt = _Attempt(app, store, mailer, clock, sending, checkpoint)
        claimed = attempt.claim(outbox.OPEN, attempt.purpose)
        if claimed.take is outbox.Take.DONE:
            return mirror(store, app_id, claimed.record, now)
        checkpoint("claimed")
        return _deliver(attempt, claimed, objects, profile)


def _deliver(
    attempt: _Attempt, claimed: outbox.Claimed, objects: ObjectStore, profile: Profile
) -> str:
    app, store, sending = attempt.app, attempt.store, attempt.sending
    if claimed.needs_reconcile:
        mode = claimed.record.get("mode", sending.mode)
        found = attempt.reconcile(claimed.record, mode)
        if found:
            return attempt.finish(
                {"send": "sent", "draft": "drafted"}.get(mode, "written"), delivery=found
            )
    analysis = store.get(ANALYSES, app.job_id) or {}
    if not app.recipient:
        log.info("no application address code may send to; the digest carries the apply link")
        reason = analysis.get("contact_note") or "no application address code may send to"
        return attempt.finish("no_contact", reason=reason)
    try:
        composed = compose(
            app,
            profile,
            objects,
            verified_recipient=analysis.get("contact_email"),
            attach=sending.attach,
            date=attempt.clock.now(),
        )
    except ValidationError as exc:
        log.error("not sent: %s", exc.message)
        return attempt.finish("failed", error=exc.message)
    job = store.get(JOBS, app.job_id) or {}
    root = job.get("repost_of") or app.job_id
    now = attempt.clock.now()
    unique = policy.check_unique(store, app.id, root, composed.recipient, app.title, now)
    if not unique.allowed:
        log.info("skipped: %s (application %s)", unique.reason, unique.duplicate_of)
        return attempt.finish("duplicate", reason=f"{unique.reason} ({unique.duplicate_of})")
    mode, note = _mode(app, sending)
    if mode == "send":
        verdict = policy.reserve_send(store, app.id, app.company, now, sending)
        if not verdict.allowed:
            return attempt.defer(verdict)
    elif mode == "outbox":  # an .eml is an email you will send: it counts in the daily cap
        verdict = policy.reserve_window(store, app.id, now, sending.daily_cap)
        if not verdict.allowed:
            return attempt.defer(verdict)
    attempt.checkpoint("policy")
    return attempt.submit(
        _facts(composed, mode, note),
        lambda: attempt.mailer.deliver(composed.raw(), message_id=composed.message_id, mode=mode),
        sends=mode in ("send", "outbox"),
    )


def _facts(composed: Composed, mode: str, note: str | None) -> dict[str, Any]:
    return {
        "mode": mode,
        "message_id": composed.message_id,
        "recipient": composed.recipient,
        "subject": composed.subject,
        "reason": note,
        "not_before": None,
        "error": None,
    }


def approve_application(
    app_id: str,
    *,
    store: DocumentStore,
    mailer: Mailer,
    clock: Clock,
    sending: Sending,
    checkpoint: Checkpoint = _no_checkpoint,
) -> str:
    """Send a reviewed draft (``drafts.send``) once; approving again changes nothing.

    The human decides, so quiet hours and the company cooldown do not apply; the daily cap
    and a Gmail pause do (BudgetExhausted says when to try again).
    """
    with bound(application_id=app_id):
        app = _load(store, app_id)
        attempt = _Attempt(app, store, mailer, clock, sending, checkpoint, purpose="approve")
        claimed = attempt.claim(frozenset({"drafted"}), "approve")
        state = claimed.record.get("state")
        if claimed.take is outbox.Take.DONE:
            approved_locally = state == "written" and claimed.record.get("draft_id")
            if state not in ("sent", "drafted") and not approved_locally:
                raise ValidationError(
                    f"application {app_id} is {state}; only a drafted application can be approved",
                    field="application_id",
                )
            return mirror(store, app_id, claimed.record, clock.now())
        record = claimed.record
        found = attempt.reconcile(record, "send") if claimed.needs_reconcile else None
        if found:
            return attempt.finish("sent", delivery=found)
        cap = policy.reserve_window(store, app.id, clock.now(), sending.daily_cap)
        if not cap.allowed:
            return attempt.defer(cap)
        draft_id = str(record.get("draft_id") or record.get("delivery"))

        def send() -> MailResult:
            try:
                return mailer.send_draft(draft_id)
            except NotFoundError as exc:  # sent by hand from Gmail, or deleted there
                found = mailer.find_sent(
                    message_id=record["message_id"],
                    recipient=record.get("recipient"),
                    subject=record.get("subject"),
                    mode="send",
                )
                if found:
                    return MailResult("sent", found)
                raise PermanentError(f"draft {draft_id} is no longer in Gmail: {exc}") from exc

        facts = {"mode": "send", "draft_id": draft_id, "reason": "approved", "error": None}
        return attempt.submit(facts, send, sends=True)


def reject_application(app_id: str, *, store: DocumentStore, mailer: Mailer, clock: Clock) -> str:
    """Discard an application that was not sent (its Gmail draft or .eml too); idempotent."""
    with bound(application_id=app_id):
        _load(store, app_id)
        now = clock.now()
        seen: dict[str, Any] = {}

        def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
            seen.clear()
            seen.update(current or {"state": "pending"})
            if seen["state"] not in {"pending", "deferred", "drafted", "written", "no_contact"}:
                return None
            return {**seen, "state": "rejected", "rejected_at": iso(now), "discarded": False}

        record = store.transact(OUTBOX, app_id, step)
        if record is None:
            if seen["state"] != "rejected":
                raise ValidationError(
                    f"application {app_id} is {seen['state']}; it can no longer be rejected",
                    field="application_id",
                )
            record = seen
        if not record.get("discarded") and record.get("delivery"):
            mailer.discard_draft(str(record.get("draft_id") or record["delivery"]))
            store.update(OUTBOX, app_id, {"discarded": True})
        return mirror(store, app_id, {**record, "discarded": True}, now)


def waiting_for_review(store: DocumentStore) -> list[dict[str, Any]]:
    """Drafted applications with their score and the analysis' reasons, best first."""
    rows = store.query(APPLICATIONS, [Where("status", "==", ApplicationStatus.DRAFTED.value)])
    analyses = store.get_many(ANALYSES, [doc["job_id"] for _, doc in rows])
    out = []
    for app_id, doc in rows:
        analysis = analyses.get(doc["job_id"], {})
        out.append(
            {
                "id": app_id,
                "job_id": doc["job_id"],
                "title": doc.get("title"),
                "company": doc.get("company"),
                "score": doc.get("score"),
                "recipient": doc.get("recipient"),
                "reasons": shown_reasons(analysis.get("reasons", [])),
                "note": doc.get("reason"),
            }
        )
    return sorted(out, key=lambda r: -(r["score"] or 0))
