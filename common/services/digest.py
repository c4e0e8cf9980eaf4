"""The digest: every new match reaches the candidate, with or without an application address.

Most postings ask for an online application and give no address, so code can send nothing to
the employer. The digest is one email to the candidate's own address (Gmail in the cloud, an
``.eml`` in ``<data_dir>/digests`` locally) listing every application and review-band job not
in an earlier digest: score, reasons, location, source, the apply link, what happened (sent,
drafted, in the outbox, no address and why) and the tailored documents, attached up to
``digest.max_attachment_mb`` and named by their storage location beyond it.

Exactly once, like an application: the digest's id is derived from the items it lists, its
record (collection ``digests``) is claimed with a lease, ``submitted_at`` is written before the
mailer is called, and an attempt that finds it set searches the mailbox before sending again.
A Gmail digest takes a slot in the daily cap; when the cap is full it waits for the next tick.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from common.clock import iso, parse_iso
from common.domain.analysis import shown_reasons
from common.domain.application import ApplicationStatus
from common.domain.candidate import Profile
from common.domain.job import JobStatus
from common.errors import NotFoundError, OutcomeUnknown, RetryableError
from common.logging import get_logger
from common.outreach import policy
from common.outreach.compose import message_id, valid_address
from common.outreach.headers import header_text, new_message, to_bytes, verify
from common.ports import Clock, DocumentStore, Mailer, ObjectStore, Where
from common.services.review import apply_url, where
from common.settings import DigestSettings
from common.store.collections import ANALYSES, APPLICATIONS, DIGESTS, JOBS
from common.terminal import plain

log = get_logger("digest")
LEASE = timedelta(minutes=5)
#: applications whose delivery is settled (the others wait for the next digest)
SETTLED = {
    ApplicationStatus.WRITTEN,
    ApplicationStatus.DRAFTED,
    ApplicationStatus.SENT,
    ApplicationStatus.NO_CONTACT,
    ApplicationStatus.DEFERRED,
    ApplicationStatus.FAILED,
}
_DOCUMENTS = ("resume_pdf", "letter_pdf", "resume_docx", "letter_docx")
UNFINISHED = ["pending", "sending"]


@dataclass
class Item:
    """One match (or review-band job) as the digest lists it."""

    kind: str  # "application" | "review"
    id: str
    job_id: str
    title: str
    company: str
    score: int | None
    reasons: list[str]
    location: str
    source: str
    posted: str | None
    apply_url: str | None
    outcome: str
    documents: dict[str, str] = field(default_factory=dict)  # kind -> object key


@dataclass(frozen=True)
class DigestResult:
    """What one call did: ``sent`` / ``written`` / ``nothing new`` / ``waiting`` / ``done``."""

    status: str
    digest_id: str | None = None
    items: int = 0
    delivery: str | None = None
    attached: int = 0


def _outcome(app: dict[str, Any]) -> str:
    status, to = app.get("status"), app.get("recipient")
    if status == ApplicationStatus.SENT:
        return f"sent to {to}"
    if status == ApplicationStatus.DRAFTED:
        return f"drafted to {to}: approve it (autoapply approve {app['id']}) or send it yourself"
    if status == ApplicationStatus.WRITTEN:
        return f"written to your outbox for {to}: send it yourself"
    if status == ApplicationStatus.DEFERRED:
        return f"waits until {app.get('not_before')} ({app.get('reason')})"
    if status == ApplicationStatus.FAILED:
        return f"not sent ({app.get('error')}): apply through the link"
    return f"apply yourself through the link ({app.get('reason') or 'no application address'})"


def pending_items(store: DocumentStore, limit: int = 200) -> list[Item]:
    """Applications and review-band jobs that no digest has listed yet, best score first."""
    apps = [
        {**doc, "id": app_id}
        for app_id, doc in store.query(APPLICATIONS)
        if not doc.get("digest_id") and doc.get("status") in {s.value for s in SETTLED}
    ]
    review = [
        (job_id, doc)
        for job_id, doc in store.query(JOBS, [Where("status", "==", JobStatus.REVIEW.value)])
        if not doc.get("digest_id")
    ]
    job_ids = [a["job_id"] for a in apps] + [job_id for job_id, _ in review]
    jobs = store.get_many(JOBS, [a["job_id"] for a in apps]) | dict(review)
    analyses = store.get_many(ANALYSES, job_ids)
    items = [_item("application", a["id"], a["job_id"], jobs, analyses, a) for a in apps]
    items += [_item("review", job_id, job_id, jobs, analyses, None) for job_id, _ in review]
    items.sort(key=lambda i: (-(i.score or 0), i.company, i.title))
    return items[:limit]


def _item(
    kind: str,
    item_id: str,
    job_id: str,
    jobs: dict[str, Any],
    analyses: dict[str, Any],
    app: dict[str, Any] | None,
) -> Item:
    job, analysis = jobs.get(job_id, {}), analyses.get(job_id, {})
    outcome = (
        _outcome(app)
        if app is not None
        else f"waits for your review (autoapply review): {analysis.get('contact_note') or ''}"
    )
    return Item(
        kind=kind,
        id=item_id,
        job_id=job_id,
        title=str(job.get("title") or (app or {}).get("title") or ""),
        company=str(job.get("company") or (app or {}).get("company") or ""),
        score=analysis.get("score"),
        reasons=shown_reasons(analysis.get("reasons", []))[:4],
        location=where(job) or "unknown",
        source=str(job.get("source") or ""),
        posted=job.get("date_posted"),
        apply_url=apply_url(job),
        outcome=outcome,
        documents=dict((app or {}).get("documents") or {}),
    )


def digest_id(items: list[Item]) -> str:
    """The same items make the same digest (a redelivered tick sends nothing new)."""
    basis = "\n".join(sorted(f"{i.kind}:{i.id}" for i in items))
    return "digest-" + hashlib.sha256(basis.encode()).hexdigest()[:20]


# --- the message ----------------------------------------------------------------------------


def _line(value: Any) -> str:
    """Untrusted text on one line, without control characters."""
    return plain(value if value is not None else "", one_line=True)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "job"


def compose_digest(
    items: list[Item],
    *,
    profile: Profile,
    objects: ObjectStore,
    settings: DigestSettings,
    now: datetime,
    digest: str,
) -> tuple[EmailMessage, str, int]:
    """The digest email (plain text), its Message-ID and how many documents it attaches."""
    to = valid_address(profile.basics.email, "profile.basics.email")
    name = header_text(profile.basics.name or "you", "profile.basics.name")
    matches = [i for i in items if i.kind == "application"]
    review = [i for i in items if i.kind == "review"]
    budget = int(settings.max_attachment_mb * 1024 * 1024)
    attachments: list[tuple[str, bytes, str]] = []
    lines = [
        f"{len(matches)} new match(es) and {len(review)} job(s) for your review, "
        f"{now.strftime('%Y-%m-%d')}.",
        "Apply links are the postings' own; the documents were written from your profile only.",
        "",
    ]
    for n, item in enumerate([*matches, *review], 1):
        if n == len(matches) + 1 and review:
            lines += ["Waiting for your review (autoapply review / approve / reject):", ""]
        lines += [
            f"{n}. {_line(item.title)} at {_line(item.company)}: score {item.score}",
            f"   {_line(item.location)} | {_line(item.source) or 'source unknown'}"
            + (f" | posted {item.posted}" if item.posted else ""),
            f"   Apply: {_line(item.apply_url) or 'no link in the posting'}",
            f"   Status: {_line(item.outcome)}",
        ]
        lines += [f"   - {_line(r)}" for r in item.reasons]
        names, stored = [], []
        for kind in _DOCUMENTS:
            key = item.documents.get(kind)
            if not key or (kind.endswith("docx") and kind.replace("docx", "pdf") in item.documents):
                continue
            ext = "pdf" if kind.endswith("pdf") else "docx"
            filename = f"{n:03d}-{_slug(item.company)}-{kind.split('_')[0]}.{ext}"
            try:
                data = objects.get(key)
            except NotFoundError:
                continue
            if len(data) <= budget:
                budget -= len(data)
                attachments.append((filename, data, ext))
                names.append(filename)
            else:
                stored.append(objects.uri(key))
        if names:
            lines.append(f"   Documents attached: {', '.join(names)}")
        if stored:
            lines.append(f"   Documents (too large to attach here): {', '.join(stored)}")
        lines.append("")
    mid = message_id(digest, to.rpartition("@")[2])
    msg = new_message(
        sender_name=name,
        sender=to,
        recipient=to,
        subject=f"Your job matches: {len(matches)} new, {now.strftime('%Y-%m-%d')}",
        message_id=mid,
        date=now,
    )
    msg.set_content(f"Hello {name},\n\n" + "\n".join(lines))
    for filename, data, ext in attachments:
        subtype = (
            "pdf" if ext == "pdf" else "vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        msg.add_attachment(data, maintype="application", subtype=subtype, filename=filename)
    return msg, mid, len(attachments)


# --- exactly once ---------------------------------------------------------------------------


def _claim(store: DocumentStore, key: str, items: list[str], owner: str, now: datetime) -> dict:
    seen: dict[str, Any] = {}

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        seen.clear()
        seen.update(current or {})
        state = (current or {}).get("state", "pending")
        live = current and current.get("lease_until") and parse_iso(current["lease_until"]) > now
        if state == "sent" or (state == "sending" and live):
            return None
        return {
            **(current or {"items": items, "created_at": iso(now)}),
            "state": "sending",
            "owner": owner,
            "lease_until": iso(now + LEASE),
        }

    written = store.transact(DIGESTS, key, step)
    if written is not None:
        return written
    if seen.get("state") == "sent":
        return seen
    raise RetryableError(f"digest {key} is being sent by another attempt", retry_after=60)


def _set(store: DocumentStore, key: str, owner: str, fields: dict[str, Any]) -> None:
    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if not current or current.get("owner") != owner:
            return None
        return {**current, **fields}

    store.transact(DIGESTS, key, step)


def _close_empty(store: DocumentStore, key: str) -> None:
    """An unfinished digest whose items were all listed (or dropped) since: nothing to send."""

    def step(current: dict[str, Any] | None) -> dict[str, Any] | None:
        if not current or current.get("state") not in UNFINISHED:
            return None
        return {**current, "state": "empty", "owner": None, "lease_until": None}

    store.transact(DIGESTS, key, step)


def _mark(store: DocumentStore, key: str, record: dict[str, Any]) -> None:
    for ref in record.get("items", []):
        kind, _, item_id = ref.partition(":")
        collection = APPLICATIONS if kind == "application" else JOBS
        if store.get(collection, item_id) is not None:
            store.update(collection, item_id, {"digest_id": key})


def send_digest(
    *,
    store: DocumentStore,
    objects: ObjectStore,
    mailer: Mailer,
    clock: Clock,
    profile: Profile,
    settings: DigestSettings,
    mode: str,
    daily_cap: int,
) -> DigestResult:
    """Send (``mode`` send: Gmail) or write (``outbox``) one digest of what is new; once."""
    if not settings.enabled:
        return DigestResult("disabled")
    items = pending_items(store, settings.max_items)
    key: str | None = None
    for earlier_key, earlier in store.query(DIGESTS, [Where("state", "in", UNFINISHED)]):
        # finish (or reconcile) the digest an earlier attempt started, with the same items
        listed = set(earlier.get("items", []))
        mine = [i for i in items if f"{i.kind}:{i.id}" in listed]
        if mine:
            key, items = earlier_key, mine
            break
        _close_empty(store, earlier_key)
    if key is None:
        if not items:
            return DigestResult("nothing new")
        key = digest_id(items)
    now = clock.now()
    owner = uuid.uuid4().hex
    refs = [f"{i.kind}:{i.id}" for i in items]
    record = _claim(store, key, refs, owner, now)
    if record.get("state") == "sent":
        _mark(store, key, record)
        return DigestResult("done", key, len(items), record.get("delivery"))
    msg, mid, attached = compose_digest(
        items, profile=profile, objects=objects, settings=settings, now=now, digest=key
    )
    found = None
    if record.get("submitted_at"):  # an earlier attempt may have sent it: look first
        found = mailer.find_sent(message_id=mid, mode=mode)
    if found is None and mode == "send":
        cap = policy.reserve_window(store, key, now, daily_cap)
        if not cap.allowed:
            _set(store, key, owner, {"state": "pending", "owner": None, "lease_until": None})
            log.info("digest waits: %s", cap.reason)
            return DigestResult("waiting", key, len(items))
    if found is None:
        _set(store, key, owner, {"submitted_at": iso(now), "message_id": mid})
        raw = to_bytes(msg)
        own = valid_address(profile.basics.email, "profile.basics.email")
        verify(raw, sender=own, recipients=[own], subject=str(msg["Subject"]))
        try:
            result = mailer.deliver(raw, message_id=mid, mode=mode)
        except OutcomeUnknown:
            _set(store, key, owner, {"lease_until": None})
            raise
        except Exception:
            if mode == "send":
                policy.release_window(store, key)
            _set(store, key, owner, {"state": "pending", "owner": None, "submitted_at": None})
            raise
        found = result.locator
    _set(store, key, owner, {"state": "sent", "delivery": found, "sent_at": iso(now)})
    _mark(store, key, {"items": refs})
    log.info("digest %s: %d item(s), %d document(s) attached", key, len(items), attached)
    return DigestResult("sent" if mode == "send" else "written", key, len(items), found, attached)
