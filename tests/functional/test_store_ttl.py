"""The TTL field: text through the port on every backend, a Timestamp inside Firestore."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from common.adapters.store_firestore import TTL_FIELD, FirestoreStore
from common.clock import iso
from common.ports import DocumentStore, Where

NOW = datetime(2026, 11, 26, 10, 0, 0, 123456, tzinfo=UTC)


def test_ttl_field_round_trips_as_text(store: DocumentStore) -> None:
    soon, later = iso(NOW + timedelta(days=1)), iso(NOW + timedelta(days=30))
    store.put("audit", "a", {"op": "x", TTL_FIELD: soon})
    store.put_many("audit", {"b": {"op": "y", TTL_FIELD: later}})
    assert store.create("audit", "c", {"op": "z", TTL_FIELD: "not a time"})
    assert store.get("audit", "a") == {"op": "x", TTL_FIELD: soon}
    assert store.get_many("audit", ["b", "c"]) == {
        "b": {"op": "y", TTL_FIELD: later},
        "c": {"op": "z", TTL_FIELD: "not a time"},
    }
    store.update("audit", "a", {TTL_FIELD: later})
    seen = store.transact("audit", "a", lambda doc: {**(doc or {}), "seen": doc[TTL_FIELD]})
    assert seen == {"op": "x", TTL_FIELD: later, "seen": later}
    assert store.get("audit", "a") == seen
    due = store.query("audit", [Where(TTL_FIELD, "<", iso(NOW + timedelta(days=31)))])
    assert sorted(doc_id for doc_id, _ in due) == ["a", "b"]


def test_firestore_keeps_the_ttl_field_as_a_timestamp(firestore_store: FirestoreStore) -> None:
    firestore_store.put("claims", "k", {"state": "done", TTL_FIELD: iso(NOW)})
    raw = firestore_store.client.collection("claims").document("k").get().to_dict()
    assert isinstance(raw[TTL_FIELD], datetime)  # what a TTL policy acts on
    assert raw[TTL_FIELD] == NOW
    firestore_store.put("claims", "t", {TTL_FIELD: "2026-11-26T10:00:00+00:00"})
    raw = firestore_store.client.collection("claims").document("t").get().to_dict()
    assert raw[TTL_FIELD] == "2026-11-26T10:00:00+00:00"  # not iso()'s form: kept as given
