"""deliver / approve / reject through the real Gmail client against the fake, on SQLite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from common.adapters.bus_local import LocalBus
from common.adapters.mailer_outbox import OutboxMailer
from common.adapters.objects_local import LocalObjectStore
from common.domain.preferences import Sending
from common.errors import AuthError, BudgetExhausted, ValidationError
from common.events import APPLICATIONS_READY
from common.services import outreach
from common.services.sweep import sweep
from common.store.collections import APPLICATIONS, OUTBOX
from tests.helpers.outreach import deliver, seed


@dataclass
class Env:
    store: Any
    objects: LocalObjectStore
    mailer: Any
    clock: Any
    gmail: Any
    sending: Sending

    def seed(self, n: int, **kw: Any) -> str:
        return seed(self.store, self.objects, n, now=self.clock.now(), **kw)

    def deliver(self, app_id: str) -> str:
        return deliver(app_id, self.store, self.objects, self.mailer, self.clock, self.sending)

    def approve(self, app_id: str) -> str:
        return outreach.approve_application(
            app_id, store=self.store, mailer=self.mailer, clock=self.clock, sending=self.sending
        )

    def reject(self, app_id: str) -> str:
        return outreach.reject_application(
            app_id, store=self.store, mailer=self.mailer, clock=self.clock
        )

    def app(self, app_id: str) -> dict[str, Any]:
        return self.store.get(APPLICATIONS, app_id)


def _sending(**kw: Any) -> Sending:
    base = {"mode": "send", "quiet_hours": None, "company_cooldown_days": 0, "daily_cap": 50}
    return Sending.model_validate({**base, **kw})


@pytest.fixture
def env(sqlite_store, tmp_path: Path, clock, gmail) -> Env:
    objects = LocalObjectStore(tmp_path / "objects")
    return Env(sqlite_store, objects, gmail.mailer(), clock, gmail, _sending())


def test_send_mode_sends_once_and_records_everything(env: Env) -> None:
    app_id = env.seed(1)
    assert env.deliver(app_id) == "sent"
    assert env.deliver(app_id) == "sent"  # a redelivery changes nothing
    app = env.app(app_id)
    assert app["status"] == "sent" and app["delivery"] and app["message_id"]
    assert env.gmail.sent_count[app["message_id"]] == 1
    [sent] = env.gmail.sent()
    assert sent.to == ["jobs1@company1.example.com"]


def test_low_score_is_drafted_then_approved_once(env: Env) -> None:
    app_id = env.seed(1, score=60)
    assert env.deliver(app_id) == "drafted"
    app = env.app(app_id)
    assert "below min_score_to_send 80" in app["reason"]
    assert not env.gmail.sent_count
    rows = outreach.waiting_for_review(env.store)
    assert [r["id"] for r in rows] == [app_id] and rows[0]["reasons"] == ["reason 1"]
    assert env.approve(app_id) == "sent"
    assert env.approve(app_id) == "sent"  # idempotent
    assert env.gmail.sent_count[app["message_id"]] == 1
    assert outreach.waiting_for_review(env.store) == []
    with pytest.raises(ValidationError, match="can no longer be rejected"):
        env.reject(app_id)


def test_draft_mode_then_reject_discards_the_draft(env: Env) -> None:
    env.sending = _sending(mode="draft")
    app_id = env.seed(1, score=99)
    assert env.deliver(app_id) == "drafted"
    assert len(env.gmail.drafts) == 1
    assert env.reject(app_id) == "rejected"
    assert env.reject(app_id) == "rejected"
    assert env.gmail.drafts == {} and not env.gmail.sent_count
    with pytest.raises(ValidationError, match="only a drafted application can be approved"):
        env.approve(app_id)
    assert env.deliver(app_id) == "rejected"


def test_outbox_mode_writes_one_eml(env: Env, tmp_path: Path) -> None:
    env.mailer = OutboxMailer(tmp_path / "outbox")
    env.sending = _sending(mode="outbox", quiet_hours={"start": 0, "end": 23}, daily_cap=1)
    app_id = env.seed(1)
    assert env.deliver(app_id) == "written"  # quiet hours are for sends only
    assert env.deliver(app_id) == "written"
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    assert env.reject(app_id) == "rejected"
    assert list((tmp_path / "outbox").glob("*.eml")) == []


def test_the_daily_cap_counts_outbox_files(env: Env, tmp_path: Path) -> None:
    """An .eml is an email the candidate will send: 3 applications, cap 2, 2 files."""
    env.mailer = OutboxMailer(tmp_path / "outbox")
    env.sending = _sending(mode="outbox", daily_cap=2)
    states = [env.deliver(env.seed(n)) for n in range(3)]
    assert states == ["written", "written", "deferred"]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2
    third = env.app("app-job00002")
    assert "daily cap of 2" in third["reason"] and third["not_before"]


def test_local_draft_mode_writes_nothing_to_the_outbox_until_approved(
    env: Env, tmp_path: Path
) -> None:
    env.mailer = OutboxMailer(tmp_path / "outbox")
    env.sending = _sending(mode="draft")
    first, second = env.seed(1), env.seed(2)
    assert env.deliver(first) == env.deliver(second) == "drafted"
    assert list((tmp_path / "outbox").glob("*.eml")) == []
    assert len(list((tmp_path / "drafts").glob("*.eml"))) == 2
    assert env.approve(first) == "written"
    assert env.approve(first) == "written"  # idempotent
    assert env.reject(second) == "rejected"
    [eml] = (tmp_path / "outbox").glob("*.eml")
    assert eml == Path(env.app(first)["delivery"]) and b"jobs1@company1" in eml.read_bytes()
    assert list((tmp_path / "drafts").glob("*.eml")) == []


def test_no_verified_address_is_kept_not_sent(env: Env) -> None:
    app_id = env.seed(1, recipient="")
    assert env.deliver(app_id) == "no_contact"
    assert not env.gmail.calls["messages.send"]


def test_tampered_recipient_is_refused(env: Env) -> None:
    app_id = env.seed(1)
    env.store.update(APPLICATIONS, app_id, {"recipient": "attacker@evil.example.com"})
    assert env.deliver(app_id) == "failed"
    assert "differs from the address analysis verified" in env.app(app_id)["error"]
    assert not env.gmail.calls["messages.send"]


def test_reposts_and_same_role_same_address_are_duplicates(env: Env) -> None:
    first = env.seed(1, title="Data Engineer", recipient="jobs@acme.example.com")
    repost = env.seed(2, repost_of="job00001")
    same_role = env.seed(3, title="data engineer", recipient="Jobs@acme.example.com")
    assert env.deliver(first) == "sent"
    assert env.deliver(repost) == "duplicate"
    assert env.deliver(same_role) == "duplicate"
    assert "app-job00001" in env.app(repost)["reason"]
    assert sum(env.gmail.sent_count.values()) == 1


def test_cap_defers_and_the_sweep_releases_when_the_window_allows(env: Env) -> None:
    env.sending = _sending(daily_cap=2)
    ids = [env.seed(n) for n in range(4)]
    assert [env.deliver(i) for i in ids] == ["sent", "sent", "deferred", "deferred"]
    app = env.app(ids[2])
    assert "daily cap of 2" in app["reason"]
    assert app["not_before"] == "2026-11-27T10:00:00.000000Z"
    bus = LocalBus()
    swept = sweep(env.store, bus, env.clock, topics=[APPLICATIONS_READY])
    assert swept.published == 0 and not bus.queue
    assert env.deliver(ids[2]) == "deferred"  # early redelivery: still waiting
    env.clock.advance(hours=24, seconds=1)
    seen: list[str] = []
    bus.subscribe(APPLICATIONS_READY, lambda m, _a: seen.extend(m["application_ids"]))
    swept = sweep(env.store, bus, env.clock, topics=[APPLICATIONS_READY])
    assert swept.stages["deferred"].published == 2
    bus.drain()
    assert sorted(seen) == sorted(ids[2:])
    assert [env.deliver(i) for i in ids[2:]] == ["sent", "sent"]
    assert sum(env.gmail.sent_count.values()) == 4


def test_cooldown_then_quiet_hours_defer(env: Env) -> None:
    env.sending = _sending(
        company_cooldown_days=14, timezone="Europe/Berlin", quiet_hours={"start": 21, "end": 8}
    )
    a, b = env.seed(1, company="ACME"), env.seed(2, company=" acme ")
    assert env.deliver(a) == "sent"  # 11:00 in Berlin
    assert env.deliver(b) == "deferred"
    assert env.app(b)["not_before"] == "2026-12-10T10:00:00.000000Z"
    env.clock.at = datetime(2026, 12, 10, 22, 30, tzinfo=UTC)  # 23:30 in Berlin: quiet
    assert env.deliver(b) == "deferred"
    assert env.app(b)["not_before"] == "2026-12-11T07:00:00.000000Z"
    assert "quiet hours in Europe/Berlin" in env.app(b)["reason"]
    env.clock.at = datetime(2026, 12, 11, 7, 0, tzinfo=UTC)
    assert env.deliver(b) == "sent"


def test_rate_limit_is_retried_later_and_frees_its_slot(env: Env) -> None:
    from common.errors import RetryableError
    from common.outreach import policy
    from tests.helpers.fake_gmail import Fault

    app_id = env.seed(1)
    env.gmail.inject("messages.send", Fault("before", 429, "rateLimitExceeded"))
    with pytest.raises(RetryableError):
        env.deliver(app_id)
    record = env.store.get(OUTBOX, app_id)
    assert record["state"] == "pending" and record["submitted_at"] is None
    assert policy.sends_in_window(env.store, env.clock.now()) == 0
    assert env.deliver(app_id) == "sent"
    assert sum(env.gmail.sent_count.values()) == 1


def test_daily_limit_pauses_sending_until_the_window_allows(env: Env) -> None:
    from tests.helpers.fake_gmail import Fault

    first, second, third = env.seed(1), env.seed(2), env.seed(3)
    assert env.deliver(first) == "sent"
    env.clock.advance(hours=3)
    env.gmail.inject("messages.send", Fault("before", 403, "dailyLimitExceeded"))
    assert env.deliver(second) == "deferred"
    assert env.deliver(third) == "deferred"  # paused: Gmail is not even asked
    assert env.gmail.calls["messages.send"] == 2
    until = "2026-11-27T10:00:00.000000Z"  # the first send leaves the 24 h window
    assert env.app(second)["not_before"] == until == env.app(third)["not_before"]
    env.clock.at = datetime(2026, 11, 27, 10, 0, 1, tzinfo=UTC)
    assert [env.deliver(second), env.deliver(third)] == ["sent", "sent"]


def test_invalid_grant_is_recorded_for_health_and_the_application_waits(env: Env) -> None:
    app_id = env.seed(1)
    env.gmail.revoke("refresh-1")
    with pytest.raises(AuthError, match="revoked"):
        env.deliver(app_id)
    state = outreach.gmail_state(env.store)
    assert state["status"] == "auth_failed" and "7 days" in state["error"]
    app = env.app(app_id)
    assert app["status"] == "deferred" and app["not_before"] == "2026-11-26T11:00:00.000000Z"
    env.gmail.revoked.clear()  # the user stored a new token
    env.clock.advance(hours=1)
    assert env.deliver(app_id) == "sent"
    assert outreach.gmail_state(env.store)["status"] == "ok"


def test_approve_respects_the_daily_cap(env: Env) -> None:
    env.sending = _sending(daily_cap=1, min_score_to_send=95)
    a, b = env.seed(1, score=99), env.seed(2, score=50)
    assert [env.deliver(a), env.deliver(b)] == ["sent", "drafted"]
    with pytest.raises(BudgetExhausted, match="approve again after 2026-11-27T10:00"):
        env.approve(b)
    assert env.app(b)["status"] == "drafted"
    env.clock.advance(hours=24, seconds=1)
    assert env.approve(b) == "sent"


def test_unknown_application_is_not_found(env: Env) -> None:
    from common.errors import NotFoundError

    with pytest.raises(NotFoundError):
        env.deliver("app-missing")


def test_approve_after_a_crash_reconciles_instead_of_sending_again(env: Env) -> None:
    class Crash(BaseException):
        pass

    def crash_after_accept(step: str) -> None:
        if step == "accepted":
            raise Crash(step)

    env.sending = _sending(mode="draft")
    app_id = env.seed(1)
    assert env.deliver(app_id) == "drafted"
    with pytest.raises(Crash):
        outreach.approve_application(
            app_id,
            store=env.store,
            mailer=env.mailer,
            clock=env.clock,
            sending=env.sending,
            checkpoint=crash_after_accept,
        )
    from common.errors import RetryableError

    with pytest.raises(RetryableError):  # the crashed attempt's lease is still live
        env.approve(app_id)
    env.clock.advance(seconds=env.sending.lease_seconds + 1)
    assert env.deliver(app_id) == "sending"  # a delivery leaves an approval alone
    assert env.approve(app_id) == "sent"
    assert env.gmail.calls["drafts.send"] == 1 and sum(env.gmail.sent_count.values()) == 1


def test_draft_sent_by_hand_in_gmail_is_recognized(env: Env) -> None:
    env.sending = _sending(mode="draft")
    app_id = env.seed(1)
    assert env.deliver(app_id) == "drafted"
    env.mailer.send_draft(env.app(app_id)["delivery"])  # the user pressed Send in Gmail
    assert env.approve(app_id) == "sent"
    assert sum(env.gmail.sent_count.values()) == 1


def test_a_lost_send_is_reconciled_with_the_token_auth_gmail_obtains(env: Env) -> None:
    """The send's answer is lost; the next attempt searches the mailbox (messages.list,
    which needs a read scope) and records 'sent' without sending again."""
    from common.errors import OutcomeUnknown
    from tests.helpers.fake_gmail import Fault

    app_id = env.seed(1)
    env.gmail.inject("messages.send", Fault("drop"))
    with pytest.raises(OutcomeUnknown):
        env.deliver(app_id)
    assert env.app(app_id)["status"] == "sending"
    env.clock.advance(seconds=env.sending.reconcile_after_seconds + 1)
    assert env.deliver(app_id) == "sent"
    assert sum(env.gmail.sent_count.values()) == 1


def test_reconcile_refused_for_scope_is_reported_and_not_stuck(env: Env) -> None:
    """A token without a read scope: the search is refused (403); health learns why, the
    lease is released at once, and a new token finishes the reconcile."""
    from common.errors import OutcomeUnknown
    from tests.helpers.fake_gmail import Fault

    app_id = env.seed(1)
    env.gmail.grant("refresh-1", ["gmail.send", "gmail.compose"])
    env.gmail.inject("messages.send", Fault("drop"))
    with pytest.raises(OutcomeUnknown):
        env.deliver(app_id)
    env.clock.advance(seconds=env.sending.reconcile_after_seconds + 1)
    with pytest.raises(AuthError, match=r"gmail\.readonly"):
        env.deliver(app_id)
    state = outreach.gmail_state(env.store)
    assert state["status"] == "auth_failed" and "gmail.readonly" in state["error"]
    assert env.store.get(OUTBOX, app_id)["lease_until"] is None  # not held until it expires
    env.gmail.grant("refresh-1", ["gmail.compose", "gmail.readonly"])  # `autoapply auth gmail`
    env.mailer = env.gmail.mailer()
    assert env.deliver(app_id) == "sent"
    assert sum(env.gmail.sent_count.values()) == 1
    assert outreach.gmail_state(env.store)["status"] == "ok"


def test_mailbox_sending_limit_pauses_sending_instead_of_redelivering(env: Env) -> None:
    """Over the mailbox's sending limit Gmail answers 429 "User-rate limit exceeded ...
    (Mail sending)" for hours: the application is deferred with a not_before (no error, so
    no redelivery and no dead letter), sending pauses, and the rest wait without asking."""
    env.gmail.send_limit = 1
    first, second, third = env.seed(1), env.seed(2), env.seed(3)
    assert env.deliver(first) == "sent"
    env.clock.advance(hours=2)
    assert env.deliver(second) == "deferred"
    assert env.deliver(third) == "deferred"  # paused: Gmail is not asked again
    assert env.gmail.calls["messages.send"] == 2
    until = "2026-11-27T10:00:00.000000Z"  # Gmail's "Retry after": the first send is 24 h old
    assert env.app(second)["not_before"] == until == env.app(third)["not_before"]
    assert "Mail sending" in env.app(second)["reason"]
    env.clock.at = datetime(2026, 11, 27, 10, 0, 1, tzinfo=UTC)
    assert env.deliver(second) == "sent"


def test_sending_limit_retry_time_is_honoured_when_later_than_the_window(env: Env) -> None:
    """Gmail's own "Retry after" may be later than autoapply's window says (mail sent by hand
    counts too): the pause lasts until the later of the two."""
    from tests.helpers.fake_gmail import sending_limit

    app_id = env.seed(1)
    later = env.clock.now().timestamp() + 30 * 3600
    env.gmail.inject("messages.send", sending_limit(later))
    assert env.deliver(app_id) == "deferred"
    assert env.app(app_id)["not_before"] == "2026-11-27T16:00:00.000000Z"
