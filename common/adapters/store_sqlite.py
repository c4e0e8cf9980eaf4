"""The embedded document store: one SQLite file, JSON documents, WAL mode.

Safe across threads (one connection per thread) and processes (``BEGIN IMMEDIATE`` serializes
writers; ``busy_timeout`` waits for the lock).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from common.domain.base import Record, compact_json
from common.errors import ConflictError, NotFoundError, ValidationError
from common.ports import MAX_BATCH, Doc, Where

# A rowid table, not WITHOUT ROWID: documents are large (job descriptions of several KB), and
# SQLite stores WITHOUT ROWID rows inside the key's B-tree, which slows every insert into a
# big table (ingest: 1,555 -> 2,273 items/s at 100,000 jobs).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (collection, id)
);
CREATE INDEX IF NOT EXISTS docs_status ON docs (collection, json_extract(data, '$.status'));
"""
_OPS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _field(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValidationError(f"query field {name!r}: expected a plain top-level field name")
    return f"json_extract(data, '$.{name}')"


def _set(doc: Doc) -> Doc:
    """The fields of a projection that are set."""
    return {k: v for k, v in doc.items() if v is not None}


def _dump(doc: Doc | Record) -> str:
    return doc.to_json() if isinstance(doc, Record) else compact_json(doc)


class SqliteStore:
    """:class:`common.ports.DocumentStore` on a SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def get(self, collection: str, doc_id: str) -> Doc | None:
        row = (
            self._conn()
            .execute("SELECT data FROM docs WHERE collection=? AND id=?", (collection, doc_id))
            .fetchone()
        )
        return json.loads(row[0]) if row else None

    def get_many(self, collection: str, doc_ids: Iterable[str]) -> dict[str, Doc]:
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, Doc] = {}
        for start in range(0, len(ids), MAX_BATCH):
            chunk = ids[start : start + MAX_BATCH]
            marks = ",".join("?" * len(chunk))
            rows = self._conn().execute(
                f"SELECT id, data FROM docs WHERE collection=? AND id IN ({marks})",
                (collection, *chunk),
            )
            out.update((i, json.loads(d)) for i, d in rows)
        return out

    def get_multi(self, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Doc]:
        wanted: dict[str, list[str]] = {}
        for collection, doc_id in refs:
            wanted.setdefault(collection, []).append(doc_id)
        return {
            (collection, doc_id): doc
            for collection, ids in wanted.items()
            for doc_id, doc in self.get_many(collection, ids).items()
        }

    def existing(self, collection: str, doc_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(doc_ids))
        out: set[str] = set()
        for start in range(0, len(ids), MAX_BATCH):
            chunk = ids[start : start + MAX_BATCH]
            marks = ",".join("?" * len(chunk))
            rows = self._conn().execute(
                f"SELECT id FROM docs WHERE collection=? AND id IN ({marks})", (collection, *chunk)
            )
            out.update(i for (i,) in rows)
        return out

    def put(self, collection: str, doc_id: str, doc: Doc) -> None:
        self._conn().execute(
            "INSERT OR REPLACE INTO docs (collection, id, data) VALUES (?,?,?)",
            (collection, doc_id, _dump(doc)),
        )

    def create(self, collection: str, doc_id: str, doc: Doc) -> bool:
        cur = self._conn().execute(
            "INSERT OR IGNORE INTO docs (collection, id, data) VALUES (?,?,?)",
            (collection, doc_id, _dump(doc)),
        )
        return cur.rowcount == 1

    def update(self, collection: str, doc_id: str, fields: Doc) -> None:
        def merge(current: Doc | None) -> Doc | None:
            if current is None:
                raise NotFoundError(f"{collection}/{doc_id} does not exist")
            return {**current, **fields}

        self.transact(collection, doc_id, merge)

    def delete(self, collection: str, doc_id: str) -> None:
        self._conn().execute("DELETE FROM docs WHERE collection=? AND id=?", (collection, doc_id))

    def transact(
        self, collection: str, doc_id: str, fn: Callable[[Doc | None], Doc | None]
    ) -> Doc | None:
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # the lock stayed taken past busy_timeout
            raise ConflictError(f"{collection}/{doc_id}: store is locked ({exc})") from exc
        try:
            row = conn.execute(
                "SELECT data FROM docs WHERE collection=? AND id=?", (collection, doc_id)
            ).fetchone()
            new = fn(json.loads(row[0]) if row else None)
            if new is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO docs (collection, id, data) VALUES (?,?,?)",
                    (collection, doc_id, _dump(new)),
                )
            conn.execute("COMMIT")
            return new
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def query(
        self,
        collection: str,
        where: Iterable[Where] = (),
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        fields: Sequence[str] | None = None,
    ) -> list[tuple[str, Doc]]:
        data = "data"
        if fields is not None:
            data = "json_object({})".format(",".join(f"'{name}',{_field(name)}" for name in fields))
        sql = [f"SELECT id, {data} FROM docs WHERE collection=?"]
        args: list[Any] = [collection]
        for cond in where:
            col = _field(cond.field)
            if cond.op == "in":
                values = list(cond.value)
                if not values:
                    return []
                sql.append(f"AND {col} IN ({','.join('?' * len(values))})")
                args.extend(values)
            elif cond.value is None and cond.op in ("==", "!="):
                cmp = "=" if cond.op == "==" else "!="
                sql.append(f"AND json_type(data, '$.{cond.field}') {cmp} 'null'")
            elif cond.op in _OPS:
                sql.append(f"AND {col} {_OPS[cond.op]} ?")
                args.append(cond.value)
            else:
                raise ValidationError(f"query operator {cond.op!r} is not supported")
        if order_by:
            col = _field(order_by)
            sql.append(f"AND json_type(data, '$.{order_by}') IS NOT NULL")
            direction = "DESC" if descending else "ASC"
            sql.append(f"ORDER BY {col} {direction}, id {direction}")
        if limit is not None:
            sql.append("LIMIT ?")
            args.append(int(limit))
        rows = self._conn().execute(" ".join(sql), args)
        if fields is not None:
            return [(i, _set(json.loads(d))) for i, d in rows]
        return [(i, json.loads(d)) for i, d in rows]

    def put_many(self, collection: str, docs: Mapping[str, Doc | Record]) -> None:
        conn = self._conn()
        items = list(docs.items())
        for start in range(0, len(items), MAX_BATCH):
            chunk = items[start : start + MAX_BATCH]
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR REPLACE INTO docs (collection, id, data) VALUES (?,?,?)",
                    [(collection, i, _dump(d)) for i, d in chunk],
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def create_many(self, collection: str, docs: Mapping[str, Doc]) -> set[str]:
        """One multi-row ``INSERT OR IGNORE ... RETURNING`` per batch: the rows it returns are
        the documents this call created."""
        conn = self._conn()
        items = list(docs.items())
        created: set[str] = set()
        for start in range(0, len(items), MAX_BATCH):
            chunk = items[start : start + MAX_BATCH]
            sql = (
                "INSERT OR IGNORE INTO docs (collection, id, data) VALUES "
                + ",".join(["(?,?,?)"] * len(chunk))
                + " RETURNING id"
            )
            args = [v for doc_id, doc in chunk for v in (collection, doc_id, _dump(doc))]
            conn.execute("BEGIN IMMEDIATE")
            try:
                rows = conn.execute(sql, args).fetchall()
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            created.update(i for (i,) in rows)
        return created
