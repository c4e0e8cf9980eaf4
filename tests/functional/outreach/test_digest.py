"""The digest: every match reaches the candidate, once, within the cap."""

from __future__ import annotations

import json
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest

from common.adapters.mailer_outbox import OutboxMailer
from common.adapters.objects_local import LocalObjectStore
from common.cli.main import main
from common.errors import OutcomeUnknown
from common.runtime import build_runtime
from common.services.digest import send_digest
from common.settings import DigestSettings, load_settings
from common.store.collections import APPLICATIONS, DIGESTS
from tests.helpers.datasets import bebity_item, workspace
from tests.helpers.fake_gmail import FakeGmail, Fault
from tests.helpers.outreach import PDF, profile, seed


def _parse(path: Path):
    return message_from_bytes(path.read_bytes(), policy=default_policy)


def test_a_run_without_addresses_gives_one_digest_with_every_match(tmp_path: Path) -> None:
    items = [
        bebity_item(n, company=f"Firma {n}", contact="Apply with the button above.")
        for n in range(1, 6)
    ]
    config = workspace(tmp_path, items, "sending: {mode: outbox}\n")
    assert main(["--config", str(config), "run", str(tmp_path / "jobs.json"), "--json"]) == 0
    [digest] = (tmp_path / "data" / "digests").glob("*.eml")
    assert list((tmp_path / "data" / "outbox").glob("*.eml")) == []  # nothing to employers
    msg = _parse(digest)
    assert msg["To"] == "jana.novakova@example.org" == msg["From"].addresses[0].addr_spec
    text = msg.get_body(("plain",)).get_content()
    rt = build_runtime(load_settings(config))
    apps = [doc for _, doc in rt.store.query(APPLICATIONS)]
    assert len(apps) == 5 and all(a["status"] == "no_contact" for a in apps)
    for n in range(1, 6):
        assert f"at Firma {n}" in text
        assert f"https://de.linkedin.com/jobs/view/firma-{n}-{910000000 + n}" in text
    assert text.count("no application address") >= 5
    attached = [p.get_filename() for p in msg.iter_attachments()]
    assert len(attached) == 10 and all(name.endswith(".pdf") for name in attached)
    assert all(a["digest_id"] for a in apps)
    # the next digest has nothing new to list
    assert main(["--config", str(config), "digest"]) == 0
    assert len(list((tmp_path / "data" / "digests").glob("*.eml"))) == 1


@pytest.fixture
def objects(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


def _digest(store, objects, mailer, clock, mode="send", cap=10, **settings):
    return send_digest(
        store=store,
        objects=objects,
        mailer=mailer,
        clock=clock,
        profile=profile(),
        settings=DigestSettings(**settings),
        mode=mode,
        daily_cap=cap,
    )


def _settle(store, app_id: str, status: str = "no_contact") -> None:
    store.update(APPLICATIONS, app_id, {"status": status, "reason": "no application address"})


def test_gmail_digest_is_sent_once_even_when_the_answer_is_lost(
    sqlite_store, objects, clock
) -> None:
    ids = [seed(sqlite_store, objects, n, now=clock.now()) for n in range(3)]
    for app_id in ids:
        _settle(sqlite_store, app_id)
    with FakeGmail.with_clock(clock) as gmail:
        mailer = gmail.mailer()
        gmail.inject("messages.send", Fault("drop"))
        with pytest.raises(OutcomeUnknown):
            _digest(sqlite_store, objects, mailer, clock)
        clock.advance(minutes=6)  # the lease expired: the next tick reconciles first
        result = _digest(sqlite_store, objects, mailer, clock)
        assert result.status == "sent" and result.items == 3
        assert sum(gmail.sent_count.values()) == 1
        [sent] = gmail.sent()
        assert sent.to == ["candidate@example.org"]
        assert _digest(sqlite_store, objects, mailer, clock).status == "nothing new"
        assert sum(gmail.sent_count.values()) == 1
    [(_, record)] = sqlite_store.query(DIGESTS)
    assert record["state"] == "sent" and len(record["items"]) == 3


def test_a_full_cap_makes_the_digest_wait(sqlite_store, objects, clock) -> None:
    app_id = seed(sqlite_store, objects, 1, now=clock.now())
    _settle(sqlite_store, app_id)
    with FakeGmail.with_clock(clock) as gmail:
        assert _digest(sqlite_store, objects, gmail.mailer(), clock, cap=0).status == "waiting"
        assert not gmail.sent_count
        assert _digest(sqlite_store, objects, gmail.mailer(), clock, cap=1).status == "sent"


def test_documents_past_the_size_budget_are_named_not_attached(
    sqlite_store, objects, clock, tmp_path: Path
) -> None:
    for n in range(3):
        _settle(sqlite_store, seed(sqlite_store, objects, n, now=clock.now()))
    budget_mb = (len(PDF) * 2.5) / (1024 * 1024)  # room for two of the three resumes
    result = _digest(
        sqlite_store,
        objects,
        OutboxMailer(tmp_path / "digests"),
        clock,
        mode="outbox",
        max_attachment_mb=budget_mb,
    )
    assert result.status == "written" and result.attached == 2
    text = _parse(Path(result.delivery)).get_body(("plain",)).get_content()
    assert "too large to attach here" in text and "file://" in text


def test_digest_text_from_postings_stays_data(sqlite_store, objects, clock, tmp_path) -> None:
    app_id = seed(
        sqlite_store, objects, 1, now=clock.now(), title="Engineer\r\nBcc: spy@evil.example"
    )
    _settle(sqlite_store, app_id)
    result = _digest(sqlite_store, objects, OutboxMailer(tmp_path / "d"), clock, mode="outbox")
    msg = _parse(Path(result.delivery))
    assert msg["Bcc"] is None and msg["To"] == "candidate@example.org"
    assert "Engineer Bcc: spy@evil.example" in msg.get_body(("plain",)).get_content()


def test_the_scheduled_tick_reaches_the_digest(tmp_path: Path) -> None:
    from common.handlers import on_applications_ready

    config = workspace(
        tmp_path, [bebity_item(1, company="Firma", contact="Apply online.")], "sending: {}\n"
    )
    assert main(["--config", str(config), "run", str(tmp_path / "jobs.json"), "--json"]) == 0
    rt = build_runtime(load_settings(config))
    assert on_applications_ready({"digest": True}, rt)["status"] == "nothing new"
    assert json.loads(json.dumps(on_applications_ready({"replies": True}, rt)))["checked"] == 0
