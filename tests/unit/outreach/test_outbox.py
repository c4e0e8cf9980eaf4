"""The outbox state machine's pure claim rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from common.clock import iso
from common.outreach.outbox import OPEN, decide_claim

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def take(current, owner="me", purpose="deliver", claimable=OPEN):  # type: ignore[no-untyped-def]
    return decide_claim(current, owner, NOW, LEASE, claimable, purpose)


def sending(owner="other", until=NOW + LEASE, purpose="deliver", **kw):  # type: ignore[no-untyped-def]
    return {"state": "sending", "owner": owner, "lease_until": iso(until), "purpose": purpose, **kw}


def test_fresh_and_deferred_records_are_taken() -> None:
    new = take(None)
    assert new["state"] == "sending" and new["owner"] == "me" and new["attempts"] == 1
    assert new["lease_until"] == iso(NOW + LEASE) and new["resume_state"] == "pending"
    assert take({"state": "deferred", "attempts": 2})["attempts"] == 3


def test_final_states_are_never_taken() -> None:
    for state in ("sent", "drafted", "written", "failed", "rejected", "duplicate"):
        assert take({"state": state}) is None


def test_live_lease_of_another_attempt_blocks_an_expired_one_is_taken_over() -> None:
    assert take(sending()) is None
    over = take(sending(until=NOW - timedelta(seconds=1), submitted_at=iso(NOW)))
    assert over["owner"] == "me" and over["submitted_at"] == iso(NOW)  # reconcile first
    released = sending()
    released["lease_until"] = None
    assert take(released)["owner"] == "me"


def test_approval_and_delivery_never_take_over_each_other() -> None:
    expired = NOW - timedelta(seconds=1)
    assert take(sending(until=expired, purpose="approve")) is None
    assert take(sending(until=expired), purpose="approve", claimable=frozenset({"drafted"})) is None
    drafted = take({"state": "drafted"}, purpose="approve", claimable=frozenset({"drafted"}))
    assert drafted["purpose"] == "approve" and drafted["resume_state"] == "drafted"
    again = take(dict(drafted, lease_until=iso(expired), owner="x"), purpose="approve")
    assert again["resume_state"] == "drafted"
