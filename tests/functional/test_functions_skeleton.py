"""The walking skeleton through the real entry points: CloudEvents in, state and .eml out."""

from __future__ import annotations

import email
import json
from pathlib import Path

import pytest

from common.adapters.dataset_file import iter_dataset_file
from common.adapters.mailer_outbox import OutboxMailer
from common.domain.candidate import Profile
from common.events import JOBS_INGESTED
from common.runtime import set_shared_runtime, shared_runtime
from common.services.ingest import ingest_items
from common.settings import load_settings
from common.store.collections import APPLICATIONS, JOBS
from tests.helpers.cloudevents import function_client, pubsub_request

DEMO = Path(__file__).resolve().parents[2] / "common" / "resources" / "demo"


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A runtime on embedded defaults in tmp_path, shared by the function entry points."""
    (tmp_path / "profile.json").write_bytes((DEMO / "profile.json").read_bytes())
    (tmp_path / "autoapply.yaml").write_bytes((DEMO / "autoapply.yaml").read_bytes())
    monkeypatch.setenv("AUTOAPPLY_CONFIG", str(tmp_path / "autoapply.yaml"))
    set_shared_runtime(None)
    rt = shared_runtime()
    yield rt
    set_shared_runtime(None)


def _deliver_all(rt, clients) -> int:  # type: ignore[no-untyped-def]
    """Push every queued bus message to its function over HTTP, like Pub/Sub would."""
    pushed = 0
    while rt.bus.queue:
        env = rt.bus.queue.popleft()
        headers, body = pubsub_request(env.message, topic=env.topic, message_id=env.id)
        response = clients[env.topic].post("/", headers=headers, data=body)
        assert response.status_code == 200, response.get_data(as_text=True)
        pushed += 1
    return pushed


def test_chain_from_dataset_to_outbox(runtime) -> None:  # type: ignore[no-untyped-def]
    clients = {
        JOBS_INGESTED: function_client("analyze", "analyze_jobs", "cloudevent"),
        "jobs-matched": function_client("generate_docs", "generate_documents", "cloudevent"),
        "applications-ready": function_client("send_email", "send_application", "cloudevent"),
    }
    items = iter_dataset_file(DEMO / "linkedin-bebity.json")
    report = ingest_items(items, store=runtime.store, bus=runtime.bus, now=runtime.clock.now())
    assert report.inserted == 6 and report.duplicates == 1
    assert dict(report.rejected) == {"unknown item shape (no field of a supported actor)": 1}
    assert _deliver_all(runtime, clients) >= 3

    apps = dict(runtime.store.query(APPLICATIONS))
    written = [a for a in apps.values() if a["status"] == "written"]
    # the backend and data postings give an application address on the employer's domain
    assert len(written) == 2
    # the SRE posting only says "reach us at ...": a match you apply to through its link
    [sre] = [a for a in apps.values() if a["company"] == "Havelcloud"]
    assert sre["status"] == "no_contact" and "for questions only" in sre["reason"]
    for app in written:
        raw = Path(app["delivery"]).read_bytes()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert msg["To"] == app["recipient"]
        assert msg["Message-ID"] == app["message_id"]
        assert app["title"] in msg["Subject"]
        assert [p.get_filename() for p in msg.iter_attachments()] == ["Jana_Nováková_resume.pdf"]
    statuses = {doc["status"] for _, doc in runtime.store.query(JOBS)}
    assert "documents_ready" in statuses and "skipped" in statuses


def test_redelivery_changes_nothing(runtime) -> None:  # type: ignore[no-untyped-def]
    client = function_client("analyze", "analyze_jobs", "cloudevent")
    ingest_items(
        iter_dataset_file(DEMO / "linkedin-bebity.json"),
        store=runtime.store,
        bus=runtime.bus,
        now=runtime.clock.now(),
    )
    first = runtime.bus.queue.popleft()
    headers, body = pubsub_request(first.message, message_id="same-id")
    for _ in range(3):  # at-least-once delivery: the same message three times
        assert client.post("/", headers=headers, data=body).status_code == 200
    matched = [e for e in runtime.bus.queue if e.topic == "jobs-matched"]
    assert len(matched) == 4  # one per matched job, not one per delivery


def test_bad_message_is_acknowledged_not_retried(runtime) -> None:  # type: ignore[no-untyped-def]
    client = function_client("analyze", "analyze_jobs", "cloudevent")
    headers, body = pubsub_request({"job_ids": "not-a-list"})
    assert client.post("/", headers=headers, data=body).status_code == 200
    assert not runtime.bus.queue


def test_health_integrations(runtime) -> None:  # type: ignore[no-untyped-def]
    client = function_client("health", "health_check", "http")
    response = client.get("/api/health/integrations")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert set(body["integrations"]) >= {"database", "storage"}
    assert client.get("/api/health/nope").status_code == 404


def test_outbox_writes_one_file_per_message_id(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path)
    for _ in range(3):
        mailer.deliver(b"Subject: x\r\n\r\nbody", message_id="<a@b>", mode="outbox")
    assert len(list(tmp_path.glob("*.eml"))) == 1
    assert mailer.find_sent(message_id="<a@b>") is not None
    assert mailer.find_sent(message_id="<c@d>") is None


def test_demo_settings_are_valid() -> None:
    settings = load_settings(DEMO / "autoapply.yaml", env={})
    assert Profile.load(settings.path(settings.profile or "")).basics.name == "Jana Nováková"
    assert json.loads((DEMO / "profile.json").read_text())["basics"]["email"]
