"""The send_email function through functions-framework, Gmail on the fake server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from common.runtime import shared_runtime
from common.store.collections import APPLICATIONS
from tests.helpers.clock import FakeClock
from tests.helpers.cloudevents import function_client, pubsub_request
from tests.helpers.fake_gmail import FakeGmail, Fault
from tests.helpers.outreach import seed
from tests.helpers.runtimes import reset_shared_runtime

PROFILE = '{"basics": {"name": "Alex Example", "email": "candidate@example.org"}}'


@pytest.fixture
def cloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "profile.json").write_text(PROFILE)
    (tmp_path / "autoapply.yaml").write_text(
        "profile: profile.json\ndata_dir: data\nbackends:\n  mailer: gmail\n"
        "sending:\n  mode: send\n  quiet_hours: null\n  company_cooldown_days: 0\n"
    )
    clock = FakeClock(datetime.now(UTC))
    with FakeGmail.with_clock(clock) as gmail:
        monkeypatch.setenv("AUTOAPPLY_CONFIG", str(tmp_path / "autoapply.yaml"))
        for name, value in gmail.env().items():
            monkeypatch.setenv(name, value)
        reset_shared_runtime()
        rt = shared_runtime()
        rt.clock = clock
        yield rt, gmail
        reset_shared_runtime()


def test_redelivered_and_lost_answers_send_once(cloud) -> None:
    rt, gmail = cloud
    client = function_client("send_email", "send_application", "cloudevent")
    ids = [seed(rt.store, rt.objects, n, now=rt.clock.now()) for n in range(2)]

    def push(message: dict, event_id: str) -> int:
        headers, body = pubsub_request(message, topic="applications-ready", message_id=event_id)
        return client.post("/", headers=headers, data=body).status_code

    gmail.inject("messages.send", Fault("drop"))
    assert push({"application_id": ids[0]}, "1") == 500  # lost answer: Pub/Sub redelivers
    assert push({"application_id": ids[0]}, "1") == 500  # too early to trust the search
    rt.clock.advance(seconds=rt.settings.sending.reconcile_after_seconds)
    assert push({"application_id": ids[0]}, "1") == 200  # reconciles, finds it, no resend
    assert push({"application_ids": ids}, "2") == 200
    assert push({"application_ids": ids}, "2") == 200
    assert push({"sweep": True}, "3") == 200
    assert sum(gmail.sent_count.values()) == 2 and gmail.calls["messages.send"] == 2
    assert {rt.store.get(APPLICATIONS, i)["status"] for i in ids} == {"sent"}


def test_revoked_token_is_acknowledged_and_kept(cloud) -> None:
    rt, gmail = cloud
    client = function_client("send_email", "send_application", "cloudevent")
    app_id = seed(rt.store, rt.objects, 1, now=rt.clock.now())
    gmail.revoke("refresh-1")
    headers, body = pubsub_request({"application_id": app_id}, topic="applications-ready")
    assert client.post("/", headers=headers, data=body).status_code == 200  # permanent: ack
    app = rt.store.get(APPLICATIONS, app_id)
    assert app["status"] == "deferred" and "invalid_grant" in app["reason"]
    assert not gmail.sent_count
