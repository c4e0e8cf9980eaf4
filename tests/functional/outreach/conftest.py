"""Fixtures: the fake Gmail server following the test's fake clock."""

from __future__ import annotations

import pytest

from tests.helpers.fake_gmail import FakeGmail


@pytest.fixture
def gmail(clock):
    with FakeGmail.with_clock(clock) as fake:
        yield fake
