"""The sending policy: quiet hours, the rolling cap, the cooldown, duplicates (fake clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from common.domain.preferences import QuietHours, Sending
from common.outreach import policy
from common.store.collections import LEDGER


def sending(**kw) -> Sending:
    base = {"mode": "send", "timezone": "Europe/Berlin", "daily_cap": 3}
    return Sending.model_validate({**base, **kw})


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # Berlin is UTC+1 in November: 21:00-08:00 local is 20:00-07:00 UTC
        (datetime(2026, 11, 26, 19, 59, tzinfo=UTC), None),
        (datetime(2026, 11, 26, 20, 0, tzinfo=UTC), datetime(2026, 11, 27, 7, 0, tzinfo=UTC)),
        (datetime(2026, 11, 27, 2, 0, tzinfo=UTC), datetime(2026, 11, 27, 7, 0, tzinfo=UTC)),
        (datetime(2026, 11, 27, 7, 0, tzinfo=UTC), None),
        # the night the clocks go back (25 Oct 2026): the quiet period ends at 08:00 CET
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    ],
)
def test_quiet_hours_in_candidate_zone(utc: datetime, expected: datetime | None) -> None:
    assert policy.quiet_until(utc, sending()) == expected


def test_daytime_quiet_period_and_none() -> None:
    lunch = sending(timezone="UTC", quiet_hours=QuietHours(start=12, end=13))
    assert policy.quiet_until(datetime(2026, 1, 1, 12, 30, tzinfo=UTC), lunch) == datetime(
        2026, 1, 1, 13, tzinfo=UTC
    )
    assert (
        policy.quiet_until(datetime(2026, 1, 1, 3, tzinfo=UTC), sending(quiet_hours=None)) is None
    )


def test_unknown_timezone_fails_naming_the_field() -> None:
    from common.errors import ConfigError
    from common.settings import build_settings

    with pytest.raises(ConfigError) as err:
        build_settings({"sending": {"timezone": "Mars/Olympus"}})
    assert err.value.field == "sending.timezone"


def test_rolling_cap_defers_until_the_oldest_send_leaves_the_window(sqlite_store, clock) -> None:
    rules = sending(quiet_hours=None, company_cooldown_days=0)
    start = clock.now()
    for n in range(3):
        assert policy.reserve_send(sqlite_store, f"a{n}", f"c{n}", clock.now(), rules).allowed
        clock.advance(hours=1)
    refused = policy.reserve_send(sqlite_store, "a3", "c3", clock.now(), rules)
    assert not refused.allowed and "daily cap of 3" in refused.reason
    assert refused.not_before == start + timedelta(hours=24)
    # the same application asking again keeps its slot (idempotent), a refusal takes none
    assert policy.reserve_send(sqlite_store, "a1", "c1", clock.now(), rules).allowed
    assert policy.sends_in_window(sqlite_store, clock.now()) == 3
    clock.at = start + timedelta(hours=24, seconds=1)
    assert policy.reserve_send(sqlite_store, "a3", "c3", clock.now(), rules).allowed


def test_company_cooldown_and_its_undo_when_the_cap_refuses(sqlite_store, clock) -> None:
    rules = sending(quiet_hours=None, company_cooldown_days=30, daily_cap=1)
    assert policy.reserve_send(sqlite_store, "a1", "ACME GmbH", clock.now(), rules).allowed
    again = policy.reserve_send(sqlite_store, "a2", "  acme   gmbh", clock.now(), rules)
    assert not again.allowed and again.not_before == clock.now() + timedelta(days=30)
    # another company passes the cooldown but the cap refuses: its cooldown is given back
    capped = policy.reserve_send(sqlite_store, "b1", "Beta", clock.now(), rules)
    assert not capped.allowed and "cap" in capped.reason
    cooldown = sqlite_store.get(LEDGER, policy.company_key("Beta"))
    assert cooldown["app"] is None
    clock.advance(days=30, seconds=1)
    assert policy.reserve_send(sqlite_store, "a2", "ACME GmbH", clock.now(), rules).allowed


def test_quiet_hours_defer(sqlite_store, clock) -> None:
    clock.at = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # 00:30 in Berlin
    verdict = policy.reserve_send(sqlite_store, "a1", "c", clock.now(), sending())
    assert not verdict.allowed and "quiet hours" in verdict.reason
    assert verdict.not_before == datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    assert policy.sends_in_window(sqlite_store, clock.now()) == 0


def test_pause_after_daily_limit(sqlite_store, clock) -> None:
    rules = sending(quiet_hours=None, company_cooldown_days=0, daily_cap=10)
    first = clock.now()
    assert policy.reserve_send(sqlite_store, "a1", "c1", first, rules).allowed
    clock.advance(hours=2)
    until = policy.pause_sending(sqlite_store, clock.now(), "Gmail dailyLimitExceeded")
    assert until == first + timedelta(hours=24)
    paused = policy.reserve_send(sqlite_store, "a2", "c2", clock.now(), rules)
    assert not paused.allowed and "paused" in paused.reason and paused.not_before == until
    clock.at = until + timedelta(seconds=1)
    assert policy.reserve_send(sqlite_store, "a2", "c2", clock.now(), rules).allowed


def test_one_application_per_job_root_and_per_role_address(sqlite_store, clock) -> None:
    now = clock.now()
    assert policy.check_unique(
        sqlite_store, "a1", "job1", "j@x.example.com", "Data Eng", now
    ).allowed
    # the same application again: still its own
    assert policy.check_unique(
        sqlite_store, "a1", "job1", "j@x.example.com", "Data Eng", now
    ).allowed
    repost = policy.check_unique(sqlite_store, "a2", "job1", "k@y.example.com", "Other", now)
    assert not repost.allowed and repost.duplicate_of == "a1"
    same_role = policy.check_unique(
        sqlite_store, "a3", "job3", "J@X.example.com", " data  eng", now
    )
    assert not same_role.allowed and "same role" in same_role.reason
