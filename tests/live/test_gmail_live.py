"""Gmail, on a test mailbox: the token refreshes with every scope, a draft is created, found
again by its Message-ID (the reconciliation search: this settles whether Gmail keeps our
Message-ID) and deleted. Nothing is sent."""

from __future__ import annotations

import os
import time
import uuid
from email.message import EmailMessage

from common.adapters.gmail import GmailMailer
from common.outreach.compose import message_id
from tests.live.conftest import need

SEARCH_WAIT_S = 60  # drafts reach the search index within seconds


def test_draft_round_trip_keeps_our_message_id() -> None:
    refresh, client_id, client_secret = need(
        "AUTOAPPLY_LIVE_GMAIL_REFRESH_TOKEN",
        "AUTOAPPLY_LIVE_GMAIL_CLIENT_ID",
        "AUTOAPPLY_LIVE_GMAIL_CLIENT_SECRET",
    )
    mailer = GmailMailer(
        refresh_token=refresh,
        client_id=client_id,
        client_secret=client_secret,
        token_uri=os.environ.get("AUTOAPPLY_GMAIL_TOKEN_URI"),
        endpoint=os.environ.get("AUTOAPPLY_GMAIL_ENDPOINT"),
    )
    me = mailer.check()["email"]
    ours = message_id(f"live-{uuid.uuid4().hex}")
    mail = EmailMessage()
    mail["From"] = mail["To"] = me
    mail["Subject"] = f"autoapply live test {ours.strip('<>')[:40]} (deleted at once)"
    mail["Message-ID"] = ours
    mail.set_content("A draft made by `make test-live`; it deletes itself.")

    draft = mailer.deliver(bytes(mail), message_id=ours, mode="draft")
    try:
        assert draft.status == "drafted" and draft.locator
        found = None
        deadline = time.monotonic() + SEARCH_WAIT_S
        while found is None and time.monotonic() < deadline:
            found = mailer.find_sent(message_id=ours, mode="draft")
            if found is None:
                time.sleep(2)
        assert found == draft.locator, "Gmail did not find the draft by our Message-ID"
    finally:
        mailer.discard_draft(draft.locator)
    assert mailer.find_sent(message_id=ours, mode="draft") is None
