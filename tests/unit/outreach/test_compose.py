"""Composition: the message's parts, and every way a header could be injected."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest

from common.adapters.objects_local import LocalObjectStore
from common.domain.application import Application
from common.errors import ValidationError
from common.outreach.compose import compose, message_id, valid_address
from common.outreach.headers import header_text, new_message, to_bytes, verify
from common.store.collections import APPLICATIONS
from tests.helpers.hostile import ENCODED_INJECTIONS, RAW_INJECTIONS, assert_only_built_headers
from tests.helpers.outreach import DOCX, PDF, profile, seed


@pytest.fixture
def parts(sqlite_store, tmp_path: Path, clock):
    objects = LocalObjectStore(tmp_path / "objects")
    app_id = seed(sqlite_store, objects, 1, now=clock.now(), title="Senior Data Engineer")
    app = Application.from_doc(sqlite_store.get(APPLICATIONS, app_id))
    return app, objects


def _build(app: Application, objects, **kw):
    kw.setdefault("verified_recipient", app.recipient)
    return compose(app, profile(), objects, **kw)


def test_message_has_role_letter_resume_and_stable_id(parts) -> None:
    app, objects = parts
    first, again = _build(app, objects), _build(app, objects)
    parsed = message_from_bytes(first.raw(), policy=default_policy)
    assert parsed["From"] == "Alex Example <candidate@example.org>"
    assert parsed["To"] == "jobs1@company1.example.com"
    assert parsed["Subject"] == "Application for Senior Data Engineer at Company 1"
    assert parsed["Message-ID"] == first.message_id == again.message_id
    assert first.message_id == message_id(app.id, "example.org")
    assert "letter 1." in parsed.get_body(("plain",)).get_content()
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_filename() == "Alex_Example_resume.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF
    assert b"\r\n" in first.raw() and b"\n\n" not in first.raw().replace(b"\r\n", b"")


def test_docx_when_configured_or_when_no_pdf(parts) -> None:
    app, objects = parts
    [docx] = list(_build(app, objects, attach="docx").message.iter_attachments())
    assert docx.get_filename().endswith(".docx") and docx.get_content() == DOCX
    no_pdf = app.model_copy(
        update={"documents": {k: v for k, v in app.documents.items() if k != "resume_pdf"}}
    )
    [fallback] = list(_build(no_pdf, objects).message.iter_attachments())
    assert fallback.get_filename().endswith(".docx")


INJECTIONS = [
    "Engineer\r\nBcc: victim@example.com",
    "Engineer\nBcc: victim@example.com",
    "Engineer%0d%0aBcc: victim@example.com",
    "Engineer%0ABcc: victim@example.com",
    "Engineer=0D=0ABcc: victim@example.com",
    "Engineer\\r\\nBcc: victim@example.com",
    "Engineer&#13;&#10;Bcc: victim@example.com",
    "Engineer\u2028Bcc: victim@example.com",
    "Engineer\x00",
]


@pytest.mark.parametrize("title", INJECTIONS)
def test_title_cannot_inject_headers(parts, title: str) -> None:
    app, objects = parts
    with pytest.raises(ValidationError) as err:
        _build(app.model_copy(update={"title": title}), objects)
    assert err.value.field == "application.title"


BAD_RECIPIENTS = [
    "jobs@a.example.com, other@b.example.com",
    "jobs@a.example.com;other@b.example.com",
    "jobs@a.example.com\r\nBcc: other@b.example.com",
    "jobs@a.example.com%0d%0aBcc:other@b.example.com",
    "Jobs <jobs@a.example.com>",
    "not-an-address",
    "jobs@",
    "jobs@localhost",
    "jobs@exa mple.com",
    "",
]


@pytest.mark.parametrize("recipient", BAD_RECIPIENTS)
def test_bad_or_multiple_recipients_are_refused(parts, recipient: str) -> None:
    app, objects = parts
    bad = app.model_copy(update={"recipient": recipient})
    with pytest.raises(ValidationError) as err:
        _build(bad, objects, verified_recipient=recipient or "x@example.com")
    assert err.value.field == "application.recipient"


def test_recipient_must_be_the_verified_address(parts) -> None:
    app, objects = parts
    with pytest.raises(ValidationError, match="differs from the address analysis verified"):
        _build(app, objects, verified_recipient="someone.else@example.com")
    with pytest.raises(ValidationError) as err:
        _build(app, objects, verified_recipient=None)
    assert err.value.field == "analysis.contact_email"


def test_sender_name_with_line_break_is_refused(parts) -> None:
    app, objects = parts
    with pytest.raises(ValidationError) as err:
        compose(
            app,
            profile(name="Alex\r\nBcc: x@example.com"),
            objects,
            verified_recipient=app.recipient,
        )
    assert err.value.field == "profile.basics.name"


def test_helpers_normalize_and_keep_ids_safe() -> None:
    assert valid_address("Jobs@Example.COM", "f") == "Jobs@example.com"
    assert header_text("  Data   Engineer ", "f") == "Data Engineer"
    weird = message_id("app-<x>\r\n", "example.org")
    assert weird.startswith("<autoapply.app--x---.") and weird.endswith("@example.org>")
    assert message_id("a") != message_id("b")


@pytest.mark.parametrize("value", ENCODED_INJECTIONS + RAW_INJECTIONS)
@pytest.mark.parametrize("where", ["company", "title", "name"])
def test_hostile_values_never_add_headers_or_recipients(parts, value: str, where: str) -> None:
    """The bytes either are refused (naming the field) or carry exactly the built headers."""
    app, objects = parts
    who = profile(name=value) if where == "name" else profile()
    if where != "name":
        app = app.model_copy(update={where: value})
    try:
        raw = compose(app, who, objects, verified_recipient=app.recipient).raw()
    except ValidationError as err:
        assert err.field == ("profile.basics.name" if where == "name" else f"application.{where}")
        return
    assert_only_built_headers(raw, app.recipient)


def test_a_harmless_encoded_word_is_shown_decoded(parts) -> None:
    app, objects = parts
    app = app.model_copy(update={"company": "=?utf-8?q?M=C3=BCller?= GmbH"})
    composed = compose(app, profile(), objects, verified_recipient=app.recipient)
    parsed = message_from_bytes(composed.raw(), policy=default_policy)
    assert parsed["Subject"] == "Application for Senior Data Engineer at Müller GmbH"
    assert_only_built_headers(composed.raw(), app.recipient)


def test_headers_that_differ_after_generation_are_refused() -> None:
    """The last check parses the bytes back: any extra header or recipient stops the mail."""
    built = new_message(
        sender_name="Alex",
        sender="a@example.org",
        recipient="jobs@example.com",
        subject="Hi",
        message_id="<x@example.org>",
    )
    built["Bcc"] = "a@evil.example"
    with pytest.raises(ValidationError, match="bcc"):
        verify(
            to_bytes(built), sender="a@example.org", recipients=["jobs@example.com"], subject="Hi"
        )


def test_a_long_subject_folds_and_still_verifies(parts) -> None:
    app, objects = parts
    app = app.model_copy(
        update={"title": "Senior Python Engineer (Backend)", "company": "Nordlicht Payments"}
    )
    composed = compose(app, profile(), objects, verified_recipient=app.recipient)
    assert_only_built_headers(composed.raw(), app.recipient)
