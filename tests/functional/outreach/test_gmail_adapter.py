"""The Gmail adapter through the real google-api-python-client against the fake server."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

import pytest

from common.errors import (
    AuthError,
    DailyLimitExceeded,
    NotFoundError,
    OutcomeUnknown,
    RetryableError,
    ValidationError,
)
from tests.helpers.fake_gmail import Fault

MID = "<autoapply.app-1.abc@example.org>"


def _credentials(gmail, **kw):  # type: ignore[no-untyped-def]
    """google-auth credentials for refresh token ``refresh-1`` at the fake's token endpoint."""
    from google.oauth2.credentials import Credentials

    return Credentials(
        None,
        refresh_token="refresh-1",
        client_id="c",
        client_secret="s",
        token_uri=f"{gmail.url}/token",
        **kw,
    )


def raw(mid: str = MID, subject: str = "Application for Data Engineer") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Alex <candidate@example.org>"
    msg["To"] = "jobs@acme.example.com"
    msg["Subject"] = subject
    msg["Message-ID"] = mid
    msg.set_content("letter")
    return bytes(msg)


def test_send_and_find_by_message_id(gmail) -> None:
    mailer = gmail.mailer()
    assert mailer.find_sent(message_id=MID) is None
    result = mailer.deliver(raw(), message_id=MID, mode="send")
    assert result.status == "sent" and result.locator
    assert mailer.find_sent(message_id=MID) == result.locator
    assert gmail.sent_count[MID] == 1
    assert gmail.calls["token"] == 1  # the refresh token was exchanged once


def test_fallback_search_when_gmail_replaced_the_message_id(gmail, clock) -> None:
    gmail.hide_message_ids = True
    mailer = gmail.mailer()
    before = clock.now() - timedelta(minutes=1)
    result = mailer.deliver(raw(), message_id=MID, mode="send")
    assert mailer.find_sent(message_id=MID) is None
    found = mailer.find_sent(
        message_id=MID,
        recipient="jobs@acme.example.com",
        subject="Application for Data Engineer",
        since=before,
    )
    assert found == result.locator
    clock.advance(hours=1)
    later = mailer.find_sent(
        message_id=MID,
        recipient="jobs@acme.example.com",
        subject="Data Engineer",
        since=clock.now(),
    )
    assert later is None  # outside the time window


def test_draft_then_send_draft_and_discard(gmail) -> None:
    mailer = gmail.mailer()
    draft = mailer.deliver(raw(), message_id=MID, mode="draft")
    assert draft.status == "drafted" and draft.locator.startswith("r-")
    assert mailer.find_sent(message_id=MID, mode="draft") == draft.locator
    assert mailer.find_sent(message_id=MID) is None  # a draft is not a send
    sent = mailer.send_draft(draft.locator)
    assert sent.status == "sent" and gmail.sent_count[MID] == 1
    with pytest.raises(NotFoundError):
        mailer.send_draft(draft.locator)
    other = mailer.deliver(
        raw("<other@example.org>"), message_id="<other@example.org>", mode="draft"
    )
    mailer.discard_draft(other.locator)
    mailer.discard_draft(other.locator)  # already gone: fine
    assert mailer.find_sent(message_id="<other@example.org>", mode="draft") is None


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault("before", 429, "rateLimitExceeded"), RetryableError),
        (Fault("before", 403, "userRateLimitExceeded"), RetryableError),
        (Fault("before", 403, "rateLimitExceeded"), RetryableError),
        (Fault("before", 403, "dailyLimitExceeded"), DailyLimitExceeded),
        (Fault("before", 400, "badRequest"), ValidationError),
        (Fault("before", 403, "insufficientPermissions"), AuthError),
    ],
)
def test_refusals_are_translated_and_nothing_is_sent(gmail, fault, error) -> None:
    gmail.inject("messages.send", fault)
    with pytest.raises(error) as raised:
        gmail.mailer().deliver(raw(), message_id=MID, mode="send")
    assert not isinstance(raised.value, OutcomeUnknown)
    assert gmail.sent_count[MID] == 0


@pytest.mark.parametrize("fault", [Fault("drop"), Fault("after", 500, "backendError")])
def test_lost_answer_is_unknown_and_never_resent(gmail, fault) -> None:
    gmail.inject("messages.send", fault)
    mailer = gmail.mailer()
    with pytest.raises(OutcomeUnknown):
        mailer.deliver(raw(), message_id=MID, mode="send")
    assert gmail.sent_count[MID] == 1  # accepted exactly once, not retried by the transport
    assert mailer.find_sent(message_id=MID)


def test_default_httplib2_transport_would_send_twice(gmail) -> None:
    """Why the adapter has its own transport: httplib2 repeats a POST whose connection drops
    before the answer ("stale connection" rule), so the fake counts a second email."""
    import base64

    import httplib2
    from google_auth_httplib2 import AuthorizedHttp
    from googleapiclient.discovery import build

    creds = _credentials(gmail)
    service = build(
        "gmail",
        "v1",
        http=AuthorizedHttp(creds, http=httplib2.Http(timeout=10)),
        static_discovery=True,
        client_options={"api_endpoint": gmail.url},
    )
    gmail.inject("messages.send", Fault("drop"))
    body = {"raw": base64.urlsafe_b64encode(raw()).decode()}
    service.users().messages().send(userId="me", body=body).execute(num_retries=0)
    assert gmail.sent_count[MID] == 2


def test_invalid_grant_names_the_cause(gmail) -> None:
    gmail.revoke("refresh-1")
    with pytest.raises(AuthError) as err:
        gmail.mailer().deliver(raw(), message_id=MID, mode="send")
    assert "revoked" in err.value.message and "7 days" in err.value.message
    assert "Testing" in err.value.message and err.value.field == "gmail-refresh-token"
    assert gmail.sent_count[MID] == 0


def test_health_check_is_cheap(gmail) -> None:
    assert gmail.mailer().check() == {"email": "candidate@example.org"}
    assert gmail.calls["users.getProfile"] == 1 and not gmail.calls["messages.send"]


def test_threads_each_get_their_own_client(gmail) -> None:
    from concurrent.futures import ThreadPoolExecutor

    mailer = gmail.mailer()
    ids = [f"<t{i}@example.org>" for i in range(16)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda m: mailer.deliver(raw(m), message_id=m, mode="send"), ids))
    assert all(gmail.sent_count[m] == 1 for m in ids)


# -- OAuth scopes, enforced by the fake as the discovery document lists them ---------------
OLD_GRANT = ("gmail.send", "gmail.compose")  # what `autoapply auth gmail` used to ask for
P = ("profile",)


def test_a_token_from_autoapply_auth_reconciles_a_lost_send(gmail) -> None:
    """The token `autoapply auth gmail` obtains may search the mailbox: a send whose answer
    was lost is found, not left 'sending' (Google answers 403 to a token without a read
    scope)."""
    gmail.inject("messages.send", Fault("drop"))
    mailer = gmail.mailer()
    with pytest.raises(OutcomeUnknown):
        mailer.deliver(raw(), message_id=MID, mode="send")
    assert mailer.find_sent(message_id=MID)
    assert gmail.calls["messages.list"] == 1


def test_a_token_without_read_scope_still_sends_and_names_the_missing_scope(gmail) -> None:
    gmail.grant("refresh-1", OLD_GRANT)
    mailer = gmail.mailer()
    assert mailer.deliver(raw(), message_id=MID, mode="send").status == "sent"
    with pytest.raises(AuthError) as err:
        mailer.find_sent(message_id=MID)
    assert "gmail.readonly" in err.value.message and "autoapply auth gmail" in err.value.message
    assert err.value.field == "gmail-refresh-token"


@pytest.mark.parametrize(
    ("grant", "allowed"),
    [
        (("gmail.send",), {"messages.send"}),
        (("gmail.compose",), {"messages.send", "drafts.create", "drafts.list", "profile"}),
        (("gmail.readonly",), {"messages.list", "drafts.list", "profile"}),
        (("gmail.metadata",), {"profile"}),  # lists, but never with q=
        (("gmail.modify",), {"messages.send", "drafts.create", "messages.list", "drafts.list", *P}),
    ],
)
def test_the_fake_enforces_each_methods_scopes(gmail, grant, allowed) -> None:
    gmail.grant("refresh-1", grant)
    mailer = gmail.mailer()
    calls = {
        "messages.send": lambda: mailer.deliver(raw(), message_id=MID, mode="send"),
        "drafts.create": lambda: mailer.deliver(raw(), message_id=MID, mode="draft"),
        "messages.list": lambda: mailer.find_sent(message_id=MID),
        "drafts.list": lambda: mailer.find_sent(message_id=MID, mode="draft"),
        "profile": mailer.check,
    }
    for name, call in calls.items():
        if name in allowed:
            call()
        else:
            with pytest.raises(AuthError):
                call()


def test_insufficient_scope_answer_has_googles_shape(gmail) -> None:
    import json
    import urllib.error
    import urllib.request

    gmail.grant("refresh-1", ["gmail.send"])
    token = json.loads(
        urllib.request.urlopen(
            f"{gmail.url}/token",
            b"grant_type=refresh_token&refresh_token=refresh-1&client_id=c&client_secret=s",
        ).read()
    )
    assert token["scope"] == "https://www.googleapis.com/auth/gmail.send"
    request = urllib.request.Request(
        f"{gmail.url}/gmail/v1/users/me/messages?q=x",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403
    assert 'error="insufficient_scope"' in refused.value.headers["WWW-Authenticate"]
    error = json.loads(refused.value.read())["error"]
    assert error["status"] == "PERMISSION_DENIED"
    assert error["errors"][0]["reason"] == "insufficientPermissions"
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


def test_refresh_asking_for_an_ungranted_scope_is_invalid_scope(gmail) -> None:
    """Google refuses a refresh that asks for more than was granted: the adapter must not
    ask for scopes on refresh, or an older token would stop working altogether."""
    from google.auth.exceptions import RefreshError
    from google.auth.transport.requests import Request

    gmail.grant("refresh-1", OLD_GRANT)
    creds = _credentials(gmail, scopes=["https://www.googleapis.com/auth/gmail.readonly"])
    with pytest.raises(RefreshError, match="invalid_scope"):
        creds.refresh(Request())


@pytest.mark.parametrize("op", ["messages.send", "drafts.send"])
def test_mailbox_sending_limit_is_the_daily_limit_with_gmails_retry_time(gmail, op) -> None:
    from datetime import UTC, datetime

    from tests.helpers.fake_gmail import sending_limit

    mailer = gmail.mailer()
    draft = mailer.deliver(raw(), message_id=MID, mode="draft")
    retry_at = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    gmail.inject(op, sending_limit(retry_at.timestamp()))
    with pytest.raises(DailyLimitExceeded, match="Mail sending") as err:
        if op == "messages.send":
            mailer.deliver(raw(), message_id=MID, mode="send")
        else:
            mailer.send_draft(draft.locator)
    assert err.value.until == retry_at
    assert gmail.sent_count[MID] == 0
