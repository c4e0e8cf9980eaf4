"""generate_application end to end: real stores (SQLite, Firestore emulator), real object
stores (a folder, Cloud Storage via gcp-storage-emulator), real typst and python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.adapters.bus_local import LocalBus
from common.adapters.objects_local import LocalObjectStore
from common.domain.application import ApplicationStatus
from common.domain.candidate import Profile
from common.errors import NotFoundError
from common.events import APPLICATIONS_READY
from common.ports import WritingBrief, Written
from common.services.documents import application_id, generate_application
from common.store.collections import ANALYSES, APPLICATIONS, JOBS
from tests.helpers import documents as sample

APP = application_id("job-1")
PREFIX = f"applications/{APP}/"
TEMPLATES = ["templates/letter.typ", "templates/reference.docx", "templates/resume.typ"]
NAMES = ("cover-letter.docx", "cover-letter.pdf", "cover-letter.txt", "resume.docx", "resume.pdf")
FILES = [PREFIX + name for name in NAMES]
KINDS = {"resume_pdf", "resume_docx", "letter_pdf", "letter_docx", "letter_txt"}


def seed(store) -> None:  # type: ignore[no-untyped-def]
    store.put(JOBS, "job-1", sample.job().to_doc())
    store.put(ANALYSES, "job-1", sample.analysis().to_doc())


def generate(store, objects, clock, profile: Profile | None = None, **kwargs):  # type: ignore[no-untyped-def]
    bus = LocalBus()
    result = generate_application(
        "job-1",
        store=store,
        objects=objects,
        bus=bus,
        clock=clock,
        profile=profile or sample.profile(),
        **kwargs,
    )
    return result, bus


@pytest.fixture
def local_objects(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


def test_generate_writes_every_file_and_the_application(store, local_objects, clock) -> None:
    seed(store)
    result, bus = generate(store, local_objects, clock)
    assert result == "generated"
    app = store.get(APPLICATIONS, APP)
    assert set(app["documents"]) == KINDS
    assert app["documents"]["resume_pdf"] == PREFIX + "resume.pdf"
    assert app["status"] == ApplicationStatus.PENDING.value
    assert app["recipient"] == "jobs@odra.example" and app["guard_events"] == []
    assert local_objects.get(PREFIX + "resume.pdf").startswith(b"%PDF")
    letter = local_objects.get(PREFIX + "cover-letter.txt").decode()
    assert letter.startswith("Dear Odra Energy hiring team,")
    assert store.get(JOBS, "job-1")["status"] == "documents_ready"
    assert [(e.topic, e.message) for e in bus.queue] == [
        (APPLICATIONS_READY, {"application_id": APP})
    ]
    assert local_objects.list("templates/") == TEMPLATES


def test_redelivery_changes_nothing(store, local_objects, clock) -> None:
    seed(store)
    generate(store, local_objects, clock)
    before = local_objects.get(PREFIX + "cover-letter.txt")
    clock.advance(minutes=1)
    result, bus = generate(store, local_objects, clock)
    assert result == "already generated" and not bus.queue
    assert local_objects.get(PREFIX + "cover-letter.txt") == before


def test_regenerating_replaces_and_never_duplicates(store, local_objects, clock) -> None:
    seed(store)
    generate(store, local_objects, clock)
    local_objects.put(PREFIX + "old-resume.pdf", b"left by an earlier version")
    doc = sample.profile_doc()
    doc["basics"]["label"] = "Streaming Data Engineer"
    clock.advance(days=1)
    result, _ = generate(store, local_objects, clock, Profile.model_validate(doc), force=True)
    assert result == "regenerated"
    assert local_objects.list(PREFIX) == FILES
    letter = local_objects.get(PREFIX + "cover-letter.txt").decode()
    assert "I am a Streaming Data Engineer with seven years of professional experience" in letter
    assert len(store.query(APPLICATIONS)) == 1


def test_regenerating_keeps_the_delivery_state(store, local_objects, clock) -> None:
    seed(store)
    generate(store, local_objects, clock)
    store.update(APPLICATIONS, APP, {"status": "written", "delivery": "/outbox/x.eml"})
    generate(store, local_objects, clock, force=True)
    app = store.get(APPLICATIONS, APP)
    assert app["status"] == "written" and app["delivery"] == "/outbox/x.eml"
    assert set(app["documents"]) == KINDS


class InventsAPhd:
    name = "invents-a-phd"

    def write(self, brief: WritingBrief) -> Written:
        summary = "I hold a PhD in Physics from ETH Zürich. I have 15 years of Rust."
        return Written(summary, brief.draft_paragraphs)


def test_guard_events_are_recorded_on_the_application(store, local_objects, clock) -> None:
    seed(store)
    generate(store, local_objects, clock, writer=InventsAPhd())
    app = store.get(APPLICATIONS, APP)
    removed = [e for e in app["guard_events"] if e["action"] == "removed"]
    assert [e["text"] for e in removed] == [
        "I hold a PhD in Physics from ETH Zürich.",
        "I have 15 years of Rust.",
    ]  # each removed sentence, with its reasons
    assert {"degree", "name"} <= {v["kind"] for v in removed[0]["violations"]}
    assert {"skill", "number"} <= {v["kind"] for v in removed[1]["violations"]}
    assert app["guard_events"][-1]["action"] == "regenerated"
    assert app["writer"] == "invents-a-phd" and app["language"] == "en"
    resume = local_objects.get(PREFIX + "resume.pdf")
    assert b"PhD" not in resume


def test_missing_job_is_a_clear_error(store, local_objects, clock) -> None:
    with pytest.raises(NotFoundError, match="job-1"):
        generate(store, local_objects, clock)


def test_generate_to_cloud_storage(sqlite_store, gcs_objects, clock, tmp_path: Path) -> None:
    seed(sqlite_store)
    generate(sqlite_store, gcs_objects, clock)
    assert gcs_objects.list(PREFIX) == FILES
    assert gcs_objects.list("templates/") == TEMPLATES
    text = sample.pdf_text(gcs_objects.get(PREFIX + "resume.pdf"), tmp_path)
    assert sample.NAME in text

    # the user replaces the resume template in the bucket; regenerating uses it, in place
    gcs_objects.put(
        "templates/resume.typ",
        b"#let data = json(bytes(sys.inputs.data))\nMY OWN LAYOUT #data.name\n",
    )
    generate(sqlite_store, gcs_objects, clock, force=True)
    generate(sqlite_store, gcs_objects, clock, force=True)
    assert len(gcs_objects.list(PREFIX)) == 5
    text = sample.pdf_text(gcs_objects.get(PREFIX + "resume.pdf"), tmp_path)
    assert "MY OWN LAYOUT " + sample.NAME in text
