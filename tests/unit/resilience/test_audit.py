"""Audit records: what they hold, and what they refuse to hold."""

from __future__ import annotations

from datetime import timedelta

import pytest

from common.errors import ValidationError
from common.resilience.audit import audit_record, clean_ids
from tests.helpers.clock import FakeClock


def test_record_fields_and_expiry(clock: FakeClock) -> None:
    doc = audit_record(
        service="gemini",
        operation="generate",
        outcome="failure",
        latency_ms=12.345,
        at=clock.now(),
        ttl=timedelta(days=30),
        ids={"job_id": "j-1", "application_ids": ["a-1", "a-2"]},
        error_type="RetryableError",
    )
    assert doc == {
        "service": "gemini",
        "operation": "generate",
        "outcome": "failure",
        "latency_ms": 12.3,
        "at": "2026-11-26T10:00:00.000000Z",
        "expires_at": "2026-12-26T10:00:00.000000Z",
        "ids": {"job_id": ["j-1"], "application_ids": ["a-1", "a-2"]},
        "error_type": "RetryableError",
    }


@pytest.mark.parametrize(
    "ids",
    [
        {"summary": "j-1"},  # not an id key
        {"job_id": "Senior engineer with 10 years of Python"},  # text posing as an id
        {"job_id": "x" * 201},
        {"job_ids": ["ok", 3]},
    ],
)
def test_anything_but_ids_is_refused(ids: dict) -> None:
    with pytest.raises(ValidationError):
        clean_ids(ids)
