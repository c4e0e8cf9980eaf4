"""The local review round trip: review -> approve -> outbox, reject -> label, with the CLI
on the embedded defaults (SQLite, .eml outbox) in ``draft`` mode."""

from __future__ import annotations

import html
import json
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest

from common.cli.main import main
from common.domain.analysis import CONFIRM_RECIPIENT
from common.runtime import build_runtime
from common.settings import load_settings
from common.store.collections import ANALYSES, JOBS, LABELS
from tests.helpers.datasets import bebity_item, workspace

OWN = bebity_item(
    1,
    company="Nordlicht Payments",
    contact="Send your application to jobs@nordlicht-payments.example",
    apply_url="https://careers.nordlicht-payments.example/jobs/1",
)
HELD = bebity_item(
    2,
    company="Elbe Analytics",
    contact="Send your CV to our recruiter, anna@talentbridge-recruiting.example",
)
OTHER = bebity_item(
    3,
    company="Havel Labs",
    contact="Please send your resume to jobs@havel-labs.example",
)


def cli(config: Path, *args: str) -> int:
    return main(["--config", str(config), *args])


@pytest.fixture
def config(tmp_path: Path) -> Path:
    cfg = workspace(
        tmp_path, [OWN, HELD, OTHER], "sending: {mode: draft, quiet_hours: null, daily_cap: 5}\n"
    )
    assert cli(cfg, "run", str(tmp_path / "jobs.json"), "--json") == 0
    return cfg


def _outbox(config: Path) -> list[Path]:
    return sorted((config.parent / "data" / "outbox").glob("*.eml"))


def test_review_approve_and_reject_round_trip(config: Path, capsys) -> None:
    capsys.readouterr()
    assert _outbox(config) == []  # draft mode: nothing in the outbox before approval
    assert cli(config, "review", "--json") == 0
    rows = {r["title"] and r["company"]: r for r in json.loads(capsys.readouterr().out)}
    draft, held, other = rows["Nordlicht Payments"], rows["Elbe Analytics"], rows["Havel Labs"]
    assert draft["kind"] == "draft" and draft["to"] == "jobs@nordlicht-payments.example"
    assert draft["apply_url"] == "https://careers.nordlicht-payments.example/jobs/1"
    assert held["kind"] == "job" and held["to"] == "anna@talentbridge-recruiting.example"
    assert "employer's own domain is unknown" in held["note"]
    assert held["apply_url"].startswith("https://de.linkedin.com/jobs/view/")

    assert cli(config, "review") == 0
    shown = capsys.readouterr().out
    assert held["id"] in shown and "employer's own domain is unknown" in shown

    # a draft: approved into the outbox, once
    for _ in range(2):
        assert cli(config, "approve", draft["id"]) == 0
        assert capsys.readouterr().out.strip() == f"{draft['id']}: written"
    [eml] = _outbox(config)
    assert message_from_bytes(eml.read_bytes(), policy=default_policy)["To"] == draft["to"]

    assert cli(config, "approve", draft["id"], "--to", "x@nordlicht-payments.example") == 2
    assert "--to names the address for one job" in capsys.readouterr().err

    # a review-band job: --to may only name an application address of the posting
    assert cli(config, "approve", held["id"], "--to", "attacker@evil.example") == 2
    assert "not an application address of this posting" in capsys.readouterr().err
    assert cli(config, "approve", held["id"], "--to", held["to"]) == 0
    assert capsys.readouterr().out.strip() == f"{held['id']}: drafted"  # documents, then a draft
    assert len(_outbox(config)) == 1
    assert cli(config, "approve", f"app-{held['id']}") == 0
    assert len(_outbox(config)) == 2

    # reject: the job leaves the queue and the judgement is a label
    assert cli(config, "reject", other["id"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"{other['id']}: rejected")
    rt = build_runtime(load_settings(config))
    assert rt.store.get(JOBS, other["id"])["status"] == "rejected"
    labels = {job: doc["good"] for job, doc in rt.store.query(LABELS)}
    assert labels == {held["id"]: True, other["id"]: False, draft["id"].removeprefix("app-"): True}
    assert cli(config, "review", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def _once(text: str, note: str) -> int:
    """How often ``note`` is in ``text``, whatever the line wrapping."""
    return " ".join(text.split()).count(note)


def _surfaces(config: Path, job_id: str, capsys) -> dict[str, str]:
    """What ``review``, the HTML report and the next digest say of one job."""
    rt = build_runtime(load_settings(config))
    rt.store.update(JOBS, job_id, {"digest_id": None})  # listed again by the next digest
    digests = config.parent / "data" / "digests"
    before = set(digests.glob("*.eml"))
    assert cli(config, "digest") == 0
    [eml] = set(digests.glob("*.eml")) - before
    body = message_from_bytes(eml.read_bytes(), policy=default_policy).get_body(("plain",))
    assert cli(config, "report", "--html", str(config.parent / "report.html")) == 0
    page = (config.parent / "report.html").read_text(encoding="utf-8")
    [row] = [r for r in page.split("<tr ") if f"<td class=id>{job_id}</td>" in r]
    capsys.readouterr()
    assert cli(config, "review") == 0
    review = capsys.readouterr().out
    [listed] = [b for b in review.split("\n\n") if job_id in b]
    return {"digest": body.get_content(), "report": html.unescape(row), "review": listed}


@pytest.mark.parametrize("stored", ["as written now", "as written before"])
def test_the_recipients_note_is_shown_once(config: Path, capsys, stored: str) -> None:
    capsys.readouterr()
    assert cli(config, "review", "--json") == 0
    [held] = [r for r in json.loads(capsys.readouterr().out) if r["company"] == "Elbe Analytics"]
    note = held["note"]
    assert "employer's own domain is unknown" in note
    # the reason first (surfaces show the first four); the why is the note
    assert held["reasons"][0] == CONFIRM_RECIPIENT
    assert not any(note in r for r in held["reasons"])
    other = held["reasons"][1]
    # few reasons (as Gemini may give) so that every surface shows them all; an analysis
    # stored before the note left the reason says it there too
    confirm = CONFIRM_RECIPIENT if stored == "as written now" else f"{CONFIRM_RECIPIENT}: {note}"
    rt = build_runtime(load_settings(config))
    rt.store.update(ANALYSES, held["id"], {"reasons": [other, confirm]})
    shown = _surfaces(config, held["id"], capsys)
    for surface, text in shown.items():
        assert _once(text, note) == 1, (surface, text)
        assert _once(text, CONFIRM_RECIPIENT) == 1, (surface, text)
        assert other in text, surface
    assert f"Status: waits for your review (autoapply review): {note}" in shown["digest"]


def test_score_carries_the_recipients_note(config: Path, capsys) -> None:
    capsys.readouterr()
    jobs, profile = config.parent / "jobs.json", config.parent / "profile.json"
    argv = ["score", "--profile", str(profile), "--jobs", str(jobs), "--local-only", "--jsonl"]
    assert main(argv) == 0
    rows = {r["company"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    held, own = rows["Elbe Analytics"], rows["Nordlicht Payments"]
    assert held["decision"] == "review" and held["contact_email"] is None
    assert "anna@talentbridge-recruiting.example" in held["contact_note"]
    assert CONFIRM_RECIPIENT in held["reasons"]
    assert not any(held["contact_note"] in r for r in held["reasons"])
    assert own["contact_email"] == "jobs@nordlicht-payments.example"
    assert "on the employer's domain" in own["contact_note"]


def test_an_address_a_word_may_be_glued_to_is_corrected_by_the_person(
    tmp_path: Path, capsys
) -> None:
    glued = bebity_item(
        4,
        company="Oder Systems",
        contact="Email Your Resume In Word Tojana.novak@oder-systems.example",
        apply_url="https://careers.oder-systems.example/jobs/4",
    )
    config = workspace(tmp_path, [glued], "sending: {mode: draft, quiet_hours: null}\n")
    assert cli(config, "run", str(tmp_path / "jobs.json"), "--json") == 0
    capsys.readouterr()
    assert _outbox(config) == []  # on the employer's domain, yet not sent on its own
    assert cli(config, "review", "--json") == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["to"] == "tojana.novak@oder-systems.example"
    assert "perhaps jana.novak@oder-systems.example" in row["note"]
    assert cli(config, "approve", row["id"], "--to", "jana.novak@oder-systems.example") == 0
    assert cli(config, "approve", f"app-{row['id']}") == 0
    [eml] = _outbox(config)
    sent = message_from_bytes(eml.read_bytes(), policy=default_policy)
    assert sent["To"] == "jana.novak@oder-systems.example"


def test_without_an_address_the_run_says_why_and_keeps_the_apply_link(tmp_path: Path) -> None:
    item = bebity_item(4, company="Kiefer Mobility", contact="Apply through the button above.")
    cfg = workspace(tmp_path, [item], "sending: {mode: outbox}\n")
    assert cli(cfg, "run", str(tmp_path / "jobs.json"), "--json") == 0
    rt = build_runtime(load_settings(cfg))
    [(_, app)] = rt.store.query("applications")
    assert app["status"] == "no_contact"
    assert "no application address" in app["reason"]


def test_terminal_output_shows_posting_text_as_written(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A title with Rich markup or escape sequences is printed as text, never interpreted."""
    title = "[link=http://evil.example]Senior Python Engineer[/link] \x1b]8;;http://x\x1b\\y"
    item = bebity_item(
        5,
        company="Nordlicht [bold red]Payments[/]",
        title=title,
        contact="Send your CV to anna@talentbridge-recruiting.example",
    )
    cfg = workspace(tmp_path, [item], "sending: {mode: outbox}\n")
    monkeypatch.setenv("COLUMNS", "400")
    assert cli(cfg, "run", str(tmp_path / "jobs.json")) == 0
    stored = build_runtime(load_settings(cfg)).store.query(JOBS)[0][1]["title"]
    assert "[link=" in stored and "\x1b" not in stored  # escapes cleaned at ingest; markup kept
    for command in (["review"], ["status"]):
        capsys.readouterr()
        assert cli(cfg, *command) == 0
        captured = capsys.readouterr()
        shown = captured.out + captured.err
        assert "\x1b" not in shown, command
        if command == ["review"]:
            assert "[link=http://evil.example]Senior Python Engineer[/link]" in shown
            assert "Nordlicht [bold red]Payments[/]" in shown
