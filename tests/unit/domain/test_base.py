"""``Record.to_json``: the same text as the stores' JSON encoder, whatever the record holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.domain.base import compact_json
from common.domain.job import Compensation, Job, Location


def _job(text: str, amount: float | None) -> Job:
    return Job(
        id="linkedin:1",
        title=text,
        company="Nová a.s.",
        location=Location(city="Zürich", country=text),
        compensation=Compensation(min_amount=amount, max_amount=amount, interval="yearly"),
        date_posted=date(2026, 11, 2),
        emails=[text],
        description=f'{text}\n\n- one \u2028\x7f\x1f"\\/',
        ingested_at=datetime(2026, 11, 28, 12, 0, 0, 123, tzinfo=UTC),
    )


@given(st.text(), st.floats() | st.none())
def test_to_json_is_the_compact_json_of_to_doc(text: str, amount: float | None) -> None:
    job = _job(text, amount)
    assert job.to_json() == compact_json(job.to_doc())


@pytest.mark.parametrize(
    "amount", [1e-05, 9.999e-05, 1e16, 1e300, float("inf"), float("nan"), 0.0, 120000.5]
)
def test_to_json_amounts_pydantic_writes_differently(amount: float) -> None:
    job = _job("Dev", amount)
    assert job.to_json() == compact_json(job.to_doc())


def test_to_json_lone_surrogate() -> None:
    job = _job("a\ud800b", None)
    assert job.to_json() == compact_json(job.to_doc())
