"""The store's batched reads without the client's wrappers against the client's ``get_all``:
the same documents and values (Firestore emulator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from google.cloud.firestore_v1 import GeoPoint

from common.clock import iso

pytestmark = pytest.mark.usefixtures("firestore_store")

STAMP = datetime(2026, 11, 29, 6, 30, 15, 123456, tzinfo=UTC)
DOCS = {
    "key": {"job_id": "j1", "claim": "c" * 32, "claimed_at": iso(STAMP)},
    "empty": {},
    "mixed": {
        "text": "ünïcode ✓ \u2028",
        "int": -(2**63),
        "float": 1.5e-7,
        "flag": False,
        "none": None,
        "when": STAMP,
        "bytes": b"\x00\xff",
        "where": GeoPoint(52.5, 13.4),
        "list": [1, "two", {"three": [3]}, None],
        "map": {"a": {"b": [STAMP, 2.0]}, "dotted.key": 1, "sp ace": {}},
        "expires_at": iso(STAMP + timedelta(days=30)),
    },
}


def _both(store):  # type: ignore[no-untyped-def]
    from common.adapters.store_firestore import FirestoreStore

    plain = FirestoreStore(None, client=store.client)
    plain._read = None  # the client's get_all
    return store, plain


def test_fast_reads_are_the_clients(firestore_store) -> None:  # type: ignore[no-untyped-def]
    fast, plain = _both(firestore_store)
    assert fast._read is not None
    for doc_id, doc in DOCS.items():
        fast.put("things", doc_id, doc)
        fast.put("others", doc_id, {"n": len(doc)})
    ids = [*DOCS, "missing", "key"]
    got = fast.get_many("things", ids)
    assert got == plain.get_many("things", ids) and set(got) == set(DOCS)
    assert got["mixed"]["expires_at"] == DOCS["mixed"]["expires_at"]  # read back as text
    assert type(got["mixed"]["when"]) is type(plain.get_many("things", ["mixed"])["mixed"]["when"])
    refs = [(c, i) for c in ("things", "others", "nowhere") for i in ids]
    multi = fast.get_multi(refs)
    assert multi == plain.get_multi(refs) and len(multi) == 2 * len(DOCS)
    assert fast.existing("things", ids) == plain.existing("things", ids) == set(DOCS)


def test_fast_reads_in_chunks(firestore_store) -> None:  # type: ignore[no-untyped-def]
    """More ids than one stream carries: every chunk is read."""
    from common.ports import MAX_BATCH

    fast, plain = _both(firestore_store)
    docs = {f"d{n}": {"n": n} for n in range(0, 2 * MAX_BATCH + 10, 3)}
    fast.put_many("many", docs)
    ids = [f"d{n}" for n in range(2 * MAX_BATCH + 10)]
    assert fast.get_many("many", ids) == plain.get_many("many", ids) == docs
    assert fast.existing("many", ids) == set(docs)
    refs = [("many", i) for i in ids] * 2 + [("more", i) for i in ids]
    assert (
        fast.get_multi(refs) == plain.get_multi(refs) == {("many", i): d for i, d in docs.items()}
    )
