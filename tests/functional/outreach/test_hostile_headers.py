"""Hostile company names and titles end to end: what the outbox writes and what the Gmail
adapter sends to the fake Gmail carry only the headers and the recipient code chose."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.adapters.mailer_outbox import OutboxMailer
from common.adapters.objects_local import LocalObjectStore
from common.domain.preferences import Sending
from common.store.collections import APPLICATIONS
from tests.helpers.hostile import ENCODED_INJECTIONS, RAW_INJECTIONS, assert_only_built_headers
from tests.helpers.outreach import deliver, seed

SENDING = Sending.model_validate(
    {"mode": "send", "quiet_hours": None, "company_cooldown_days": 0, "daily_cap": 100}
)
HOSTILE = ENCODED_INJECTIONS + RAW_INJECTIONS


def _deliver_all(store, objects, mailer, clock, field: str) -> list[dict]:  # type: ignore[no-untyped-def]
    apps = []
    for n, value in enumerate(HOSTILE, 1):
        app_id = seed(store, objects, n, now=clock.now(), **{field: value})
        deliver(app_id, store, objects, mailer, clock, SENDING)
        apps.append(store.get(APPLICATIONS, app_id))
    return apps


def _check(apps: list[dict], sent: list[tuple[bytes, str]], field: str) -> None:
    for app in apps:
        assert app["status"] in ("sent", "written", "failed"), app
        if app["status"] == "failed":
            assert f"application.{field}" in app["error"]
    assert len(sent) == sum(1 for a in apps if a["status"] != "failed")
    for raw, recipient in sent:
        assert_only_built_headers(raw, recipient)


@pytest.mark.parametrize("field", ["company", "title"])
def test_outbox_files_have_only_the_built_headers(sqlite_store, tmp_path: Path, clock, field):  # type: ignore[no-untyped-def]
    objects = LocalObjectStore(tmp_path / "objects")
    mailer = OutboxMailer(tmp_path / "outbox")
    apps = _deliver_all(sqlite_store, objects, mailer, clock, field)
    written = {a["delivery"]: a["recipient"] for a in apps if a["status"] == "written"}
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert sorted(str(f) for f in files) == sorted(written)
    _check(apps, [(Path(p).read_bytes(), r) for p, r in written.items()], field)


@pytest.mark.parametrize("field", ["company", "title"])
def test_gmail_receives_only_the_built_headers(sqlite_store, tmp_path: Path, clock, gmail, field):  # type: ignore[no-untyped-def]
    objects = LocalObjectStore(tmp_path / "objects")
    apps = _deliver_all(sqlite_store, objects, gmail.mailer(), clock, field)
    by_id = {a["message_id"]: a["recipient"] for a in apps if a["status"] == "sent"}
    sent = [(m.raw, by_id[m.header_id]) for m in gmail.sent()]
    _check(apps, sent, field)
    for message in gmail.sent():
        assert message.to == [by_id[message.header_id]]
