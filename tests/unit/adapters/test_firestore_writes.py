"""The fast Firestore write encoder against the client's own: the same ``Write`` message."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from google.cloud.firestore_v1 import SERVER_TIMESTAMP, GeoPoint, _helpers
from google.cloud.firestore_v1.types import write
from hypothesis import given
from hypothesis import strategies as st

from common.adapters.firestore_writes import write_pb

PATH = "projects/p/databases/(default)/documents/jobs/abc"


class Status(StrEnum):
    NEW = "new"


def client_pb(doc: dict[str, Any], *, create: bool) -> Any:
    """What ``batch.create`` / ``batch.set`` would add."""
    pbs = _helpers.pbs_for_create(PATH, doc) if create else _helpers.pbs_for_set_no_merge(PATH, doc)
    assert len(pbs) == 1
    return write.Write.pb(pbs[0])


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text()
    | st.datetimes(timezones=st.just(UTC))
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(min_size=1), values, max_size=8), st.booleans())
def test_same_message_as_the_client(doc: dict[str, Any], create: bool) -> None:
    ours = write_pb(PATH, doc, exists=False if create else None)
    assert ours is not None
    assert write.Write.pb(ours) == client_pb(doc, create=create)


def test_a_job_like_document_with_empty_maps_lists_enums_and_dotted_keys() -> None:
    doc = {
        "title": "Data Engineer",
        "status": Status.NEW,
        "salary": {"min": 50000, "max": 70000.5, "currency": None},
        "skills": [],
        "extra": {},
        "a.b": {"c.d": [1, "x", True, {"e": []}]},
        "expires_at": datetime(2026, 12, 1, tzinfo=UTC),
    }
    for create in (False, True):
        ours = write_pb(PATH, doc, exists=False if create else None)
        assert write.Write.pb(ours) == client_pb(doc, create=create)
    assert write.Write.pb(write_pb(PATH, doc)).update.fields["extra"].HasField("map_value")


def test_values_it_does_not_encode_are_left_to_the_client() -> None:
    assert write_pb(PATH, {"at": SERVER_TIMESTAMP}) is None
    assert write_pb(PATH, {"where": {"p": GeoPoint(1.0, 2.0)}}) is None
    assert write_pb(PATH, {"big": 2**64}) is None
    assert write_pb(PATH, {"keys": {1: "x"}}) is None
    assert write_pb(PATH, {"": "x"}) is None and write_pb(PATH, {"m": {"": 1}}) is None
