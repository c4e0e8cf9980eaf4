"""A second client of the same store: what another function instance would open."""

from __future__ import annotations

from typing import Any

from tests.helpers.emulators import SESSION_PROJECT


def second_client(store: Any) -> Any:
    """A new client on the same data as ``store`` (the same SQLite file, or the emulator)."""
    from common.adapters.store_sqlite import SqliteStore

    if isinstance(store, SqliteStore):
        return SqliteStore(store.path)
    from common.adapters.store_firestore import FirestoreStore

    return FirestoreStore(SESSION_PROJECT)
