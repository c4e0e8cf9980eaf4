"""Compose one application as a MIME message, refusing anything that could inject headers.

The recipient is only the address analysis verified from the posting; code, never a posting
or a model, decides it. Every header value is checked before it reaches the message: no CR/LF
(raw or encoded), one address per address field, addresses validated by ``email-validator``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime

from common.domain.application import Application
from common.domain.candidate import Profile
from common.errors import ValidationError
from common.ports import ObjectStore

#: what may not appear in a header value: raw line breaks, and their encoded forms
_BREAKS = re.compile(r"[\r\n\x00\x0b\x0c\x85\u2028\u2029]|%0[ad]|\\[rn]|=0[ad]|&#1[03];", re.I)
_SEPARATORS = re.compile(r"[,;<>]")
_MSGID_SAFE = re.compile(r"[^A-Za-z0-9._-]")
MAX_SUBJECT = 200

ATTACHMENTS = {
    "pdf": ("resume_pdf", "application", "pdf", "pdf"),
    "docx": (
        "resume_docx",
        "application",
        "vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
}


@dataclass(frozen=True)
class Composed:
    """A composed message and the facts the outbox records about it."""

    message: EmailMessage
    message_id: str
    recipient: str
    subject: str

    def raw(self) -> bytes:
        """The RFC 5322 bytes (CRLF line ends)."""
        return self.message.as_bytes(policy=default_policy.clone(linesep="\r\n"))


def clean_header(value: str, field: str) -> str:
    """``value`` if it is safe in a header; ValidationError naming ``field`` otherwise."""
    if _BREAKS.search(value):
        raise ValidationError(
            f"{field}: a line break (raw or encoded) is not allowed in a header", field=field
        )
    text = " ".join(value.split())
    if not text:
        raise ValidationError(f"{field}: expected a non-empty value", field=field)
    return text


def valid_address(value: str | None, field: str) -> str:
    """One normalized email address; several addresses or a bad one raise ValidationError."""
    if not value:
        raise ValidationError(f"{field}: expected an email address, got nothing", field=field)
    text = clean_header(value, field)
    if _SEPARATORS.search(text) or " " in text:
        raise ValidationError(
            f"{field}: expected exactly one bare address, got {text!r}", field=field
        )
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationError(
            f"{field}: {text!r} is not a valid address ({exc})", field=field
        ) from exc


def message_id(app_id: str, domain: str = "autoapply.local") -> str:
    """The deterministic Message-ID of an application: the same id on every attempt."""
    local = _MSGID_SAFE.sub("-", app_id)[:64]
    digest = hashlib.sha256(app_id.encode()).hexdigest()[:12]
    host = _MSGID_SAFE.sub("-", domain.lower()) or "autoapply.local"
    return f"<autoapply.{local}.{digest}@{host}>"


def subject_for(app: Application) -> str:
    """The subject names the role, without gender markers like "(H/F)" (and the company when
    known), in the letter's language."""
    from common.documents.titles import clean_company, role_name
    from common.i18n.phrases import phrases

    title = role_name(clean_header(app.title, "application.title"))
    company = clean_header(app.company, "application.company") if app.company.strip() else ""
    company = clean_company(company)
    say = phrases(app.language)
    if company:
        subject = say.say("email.subject", role=title, company=company)
    else:
        subject = say.say("email.subject_no_company", role=title)
    return subject[:MAX_SUBJECT]


def _sender(profile: Profile) -> Address:
    email = valid_address(profile.basics.email, "profile.basics.email")
    name = clean_header(profile.basics.name, "profile.basics.name")
    local, _, domain = email.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def _attachment(app: Application, objects: ObjectStore, attach: str) -> tuple[bytes, str, str, str]:
    """The resume bytes in the configured format; DOCX when no PDF was written."""
    order = [attach, "docx"] if attach == "pdf" else [attach]
    for kind in order:
        key, maintype, subtype, ext = ATTACHMENTS[kind]
        if key in app.documents:
            return objects.get(app.documents[key]), maintype, subtype, ext
    wanted = " or ".join(ATTACHMENTS[k][0] for k in order)
    raise ValidationError(f"application {app.id}: no resume document ({wanted})", field="documents")


def compose(
    app: Application,
    profile: Profile,
    objects: ObjectStore,
    *,
    verified_recipient: str | None,
    attach: str = "pdf",
    date: datetime | None = None,
) -> Composed:
    """The application email: letter as body, resume attached, only to the verified address."""
    recipient = valid_address(app.recipient, "application.recipient")
    verified = valid_address(verified_recipient, "analysis.contact_email")
    if recipient.lower() != verified.lower():
        raise ValidationError(
            "application.recipient: differs from the address analysis verified", field="recipient"
        )
    sender = _sender(profile)
    subject = subject_for(app)
    if "letter_txt" not in app.documents:
        raise ValidationError(f"application {app.id}: no cover letter text", field="documents")
    letter = objects.get(app.documents["letter_txt"]).decode("utf-8")
    resume, maintype, subtype, ext = _attachment(app, objects, attach)

    msg = EmailMessage(policy=default_policy)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = subject
    mid = message_id(app.id, sender.domain)
    msg["Message-ID"] = mid
    if date is not None:
        msg["Date"] = format_datetime(date)
    msg.set_content(letter)
    stem = re.sub(r"\W+", "_", profile.basics.name).strip("_") or "candidate"
    msg.add_attachment(resume, maintype=maintype, subtype=subtype, filename=f"{stem}_resume.{ext}")
    return Composed(msg, mid, recipient, subject)
