"""Replies: the Gmail thread of each sent application, answers found there, outcomes marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.adapters.objects_local import LocalObjectStore
from common.domain.preferences import Sending
from common.errors import ValidationError
from common.services.replies import check_replies, mark_outcome, response_rates
from common.store.collections import APPLICATIONS, JOBS
from tests.helpers.outreach import deliver, profile, seed

SEND = Sending(mode="send", quiet_hours=None, company_cooldown_days=0, daily_cap=50)


@pytest.fixture
def objects(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


def _sent(store, objects, gmail, clock, n: int, score: int = 90, source: str = "linkedin") -> str:
    app_id = seed(store, objects, n, now=clock.now(), score=score)
    store.update(JOBS, f"job{n:05d}", {"source": source})
    assert deliver(app_id, store, objects, gmail.mailer(), clock, SEND) == "sent"
    return app_id


def test_an_answer_in_the_thread_marks_the_application_replied(
    sqlite_store, objects, clock, gmail
) -> None:
    answered = _sent(sqlite_store, objects, gmail, clock, 1, score=92)
    silent = _sent(sqlite_store, objects, gmail, clock, 2, score=81, source="indeed")
    thread = sqlite_store.get(APPLICATIONS, answered)["thread_id"]
    assert thread and sqlite_store.get(APPLICATIONS, silent)["thread_id"]
    clock.advance(days=2)
    gmail.receive(thread, "Hiring Team <jobs1@company1.example.com>")
    gmail.receive("unrelated-thread", "Newsletter <news@elsewhere.example>")
    mailer = gmail.mailer()

    got = check_replies(store=sqlite_store, mailer=mailer, clock=clock, profile=profile())
    assert got == {"checked": 2, "replied": [answered]}
    app = sqlite_store.get(APPLICATIONS, answered)
    assert app["outcome"] == "replied" and "jobs1@company1" in app["reply_from"]
    assert sqlite_store.get(APPLICATIONS, silent).get("outcome") is None
    assert gmail.calls["messages.list"] == 1 and gmail.calls["threads.get"] == 1
    # checked again: an answered application is no longer watched
    again = check_replies(store=sqlite_store, mailer=mailer, clock=clock, profile=profile())
    assert again == {"checked": 1, "replied": []}

    rates = response_rates(sqlite_store)
    assert rates["source"]["linkedin"] == {"sent": 1, "answered": 1, "rate": 1.0}
    assert rates["source"]["indeed"] == {"sent": 1, "answered": 0, "rate": 0.0}
    assert rates["score"]["90-100"]["answered"] == 1 and rates["score"]["80-89"]["sent"] == 1


def test_the_candidates_own_follow_up_is_not_an_answer(sqlite_store, objects, clock, gmail):
    app_id = _sent(sqlite_store, objects, gmail, clock, 1)
    thread = sqlite_store.get(APPLICATIONS, app_id)["thread_id"]
    gmail.receive(thread, "Alex Example <candidate@example.org>")
    got = check_replies(store=sqlite_store, mailer=gmail.mailer(), clock=clock, profile=profile())
    assert got["replied"] == []


def test_mark_records_the_outcome(sqlite_store, objects, clock, gmail) -> None:
    app_id = _sent(sqlite_store, objects, gmail, clock, 1)
    assert mark_outcome(sqlite_store, clock, app_id, "interview") == "interview"
    assert sqlite_store.get(APPLICATIONS, app_id)["outcome"] == "interview"
    with pytest.raises(ValidationError, match="expected one of replied, interview"):
        mark_outcome(sqlite_store, clock, app_id, "ghosted")
    assert response_rates(sqlite_store)["source"]["linkedin"]["answered"] == 1
