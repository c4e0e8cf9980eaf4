"""The cloud document store: Firestore (``google-cloud-firestore``).

Retries: the Firestore client retries reads and transactions that abort on contention
(``transactional`` re-runs ``fn``, up to 5 attempts). Nothing else retries here; errors are
translated at this edge into retryable or permanent autoapply errors.

Expiry: the port keeps times as ISO 8601 text, but a Firestore TTL policy deletes a document
only when its TTL field holds a Timestamp. So the top-level field :data:`TTL_FIELD` is stored
as a Timestamp (when it is a time written by :func:`common.clock.iso`) and read back as the
same text; Terraform puts the TTL policies on this field (``terraform/locals.tf``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import cached_property
from typing import Any

from common.adapters.firestore_reads import Reader, reader
from common.adapters.firestore_writes import write_pb
from common.adapters.google_errors import google_call
from common.clock import iso, parse_iso
from common.domain.base import Record
from common.errors import ConflictError
from common.ports import MAX_BATCH, Doc, Where

#: the field the TTL policies watch: a document is deleted once this time has passed
TTL_FIELD = "expires_at"


def _stored(value: Any) -> Any:
    """A TTL field value as Firestore keeps it: a canonical ISO time becomes a datetime."""
    if isinstance(value, str):
        try:
            moment = parse_iso(value)
        except ValueError:
            return value
        return moment if iso(moment) == value else value
    return value


def _to_firestore(doc: Doc) -> Doc:
    return {**doc, TTL_FIELD: _stored(doc[TTL_FIELD])} if TTL_FIELD in doc else doc


def _from_firestore(doc: Doc | None) -> Doc | None:
    if doc is not None and isinstance(doc.get(TTL_FIELD), datetime):
        return {**doc, TTL_FIELD: iso(doc[TTL_FIELD])}
    return doc


#: the most a batched commit may carry: the emulator (gRPC) refuses requests over 4 MiB,
#: Firestore over 10 MiB, so 500 large job documents must be split
BATCH_BYTES = 3 << 20


def _batches(items: list[tuple[str, Doc]]) -> Iterator[list[tuple[str, Doc]]]:
    """``items`` in commits of at most MAX_BATCH documents and about BATCH_BYTES (each
    document sized by its ASCII JSON, an upper bound of its encoded size)."""
    batch: list[tuple[str, Doc]] = []
    size = 0
    for doc_id, doc in items:
        weight = len(json.dumps(doc, default=str)) + len(doc_id) + 64
        if batch and (len(batch) == MAX_BATCH or size + weight > BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append((doc_id, doc))
        size += weight
    if batch:
        yield batch


#: documents read by one ``get_all`` of ``get_multi`` (the dedup keys of a batch: 3 x 500)
READ_BATCH = 3 * MAX_BATCH
#: concurrent create requests of ``create_many`` after a batch met an existing document
CREATE_WORKERS = 16


class FirestoreStore:
    """:class:`common.ports.DocumentStore` on Firestore (or its emulator)."""

    #: calls may come from several threads at once (the client's gRPC channel is shared)
    CONCURRENT_WRITES = True

    def __init__(
        self, project: str | None, database: str = "(default)", client: Any = None
    ) -> None:
        if client is None:
            from google.cloud import firestore

            with google_call("firestore client"):
                client = firestore.Client(project=project, database=database)
        self.client = client
        self._paths = f"{getattr(client, '_database_string', '')}/documents/"

    @cached_property
    def _read(self) -> Reader | None:
        """Batched reads without the client's per-document wrappers, on a channel of their
        own made at the first read (None: the client's ``get_all``)."""
        return reader(self.client)

    def _ref(self, collection: str, doc_id: str) -> Any:
        return self.client.collection(collection).document(doc_id)

    def get(self, collection: str, doc_id: str) -> Doc | None:
        with google_call(f"firestore get {collection}"):
            snap = self._ref(collection, doc_id).get()
        return _from_firestore(snap.to_dict()) if snap.exists else None

    def _read_all(
        self, pairs: list[tuple[str, str]], mask: list[str] | None = None
    ) -> Iterator[tuple[tuple[str, str], Doc | None]]:
        """``(collection, id)`` -> the document's fields (None: missing), read in one stream
        (``self._read`` is not None)."""
        assert self._read is not None
        start = len(self._paths)
        paths = [f"{self._paths}{c}/{i}" for c, i in pairs]
        for path, fields in self._read(paths, mask):
            collection, doc_id = path[start:].rsplit("/", 2)[-2:]
            yield (collection, doc_id), fields

    def get_many(self, collection: str, doc_ids: Iterable[str]) -> dict[str, Doc]:
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, Doc] = {}
        if self._read is not None:
            with google_call(f"firestore get_all {collection}"):
                for start in range(0, len(ids), MAX_BATCH):
                    chunk = [(collection, i) for i in ids[start : start + MAX_BATCH]]
                    for (_, doc_id), fields in self._read_all(chunk):
                        if fields is not None:
                            out[doc_id] = _from_firestore(fields)  # type: ignore[assignment]
            return out
        with google_call(f"firestore get_all {collection}"):
            for start in range(0, len(ids), MAX_BATCH):
                refs = [self._ref(collection, i) for i in ids[start : start + MAX_BATCH]]
                for snap in self.client.get_all(refs):
                    if snap.exists:
                        out[snap.id] = _from_firestore(snap.to_dict())
        return out

    def get_multi(self, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Doc]:
        """One ``get_all`` over documents of several collections (per READ_BATCH refs)."""
        pairs = list(dict.fromkeys(refs))
        out: dict[tuple[str, str], Doc] = {}
        with google_call("firestore get_all"):
            for start in range(0, len(pairs), READ_BATCH):
                chunk = pairs[start : start + READ_BATCH]
                if self._read is not None:
                    for ref, fields in self._read_all(chunk):
                        if fields is not None:
                            out[ref] = _from_firestore(fields)  # type: ignore[assignment]
                    continue
                snaps = self.client.get_all([self._ref(c, i) for c, i in chunk])
                for snap in snaps:
                    if snap.exists:
                        ref = snap.reference
                        out[(ref.parent.id, ref.id)] = _from_firestore(snap.to_dict())
        return out

    def existing(self, collection: str, doc_ids: Iterable[str]) -> set[str]:
        """``get_all`` with an empty field mask: which documents exist, none of their fields."""
        ids = list(dict.fromkeys(doc_ids))
        out: set[str] = set()
        with google_call(f"firestore get_all {collection}"):
            for start in range(0, len(ids), MAX_BATCH):
                if self._read is not None:
                    chunk = [(collection, i) for i in ids[start : start + MAX_BATCH]]
                    out.update(r[1] for r, f in self._read_all(chunk, []) if f is not None)
                    continue
                refs = [self._ref(collection, i) for i in ids[start : start + MAX_BATCH]]
                out.update(s.id for s in self.client.get_all(refs, field_paths=[]) if s.exists)
        return out

    def put(self, collection: str, doc_id: str, doc: Doc) -> None:
        with google_call(f"firestore set {collection}"):
            self._ref(collection, doc_id).set(_to_firestore(doc))

    def create(self, collection: str, doc_id: str, doc: Doc) -> bool:
        from google.api_core.exceptions import AlreadyExists, Conflict

        with google_call(f"firestore create {collection}"):
            try:
                self._ref(collection, doc_id).create(_to_firestore(doc))
            except (AlreadyExists, Conflict):
                return False
        return True

    def update(self, collection: str, doc_id: str, fields: Doc) -> None:
        from google.cloud.firestore_v1.field_path import FieldPath

        quoted = {
            FieldPath(key).to_api_repr(): value for key, value in _to_firestore(fields).items()
        }
        with google_call(f"firestore update {collection}/{doc_id}"):
            self._ref(collection, doc_id).update(quoted)

    def delete(self, collection: str, doc_id: str) -> None:
        with google_call(f"firestore delete {collection}"):
            self._ref(collection, doc_id).delete()

    def transact(
        self, collection: str, doc_id: str, fn: Callable[[Doc | None], Doc | None]
    ) -> Doc | None:
        from google.api_core import exceptions as gex
        from google.cloud import firestore

        ref = self._ref(collection, doc_id)

        @firestore.transactional
        def run(transaction: Any) -> Doc | None:
            snap = ref.get(transaction=transaction)
            new = fn(_from_firestore(snap.to_dict()) if snap.exists else None)
            if new is not None:
                transaction.set(ref, _to_firestore(new))
            return new

        what = f"firestore transaction {collection}/{doc_id}"
        with google_call(what):
            try:
                return run(self.client.transaction())
            except ValueError as exc:  # the SDK wraps the last ABORTED of its attempts
                if isinstance(exc.__cause__, gex.Aborted):
                    raise ConflictError(f"{what}: contention, {exc}") from exc
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
        from google.cloud import firestore
        from google.cloud.firestore_v1.base_query import FieldFilter

        query: Any = self.client.collection(collection)
        for cond in where:
            value = list(cond.value) if cond.op == "in" else cond.value
            if cond.field == TTL_FIELD:
                value = [_stored(v) for v in value] if cond.op == "in" else _stored(value)
            if cond.op == "in" and not value:
                return []
            query = query.where(filter=FieldFilter(cond.field, cond.op, value))
        if order_by:
            direction = firestore.Query.DESCENDING if descending else firestore.Query.ASCENDING
            query = query.order_by(order_by, direction=direction)
        if limit is not None:
            query = query.limit(int(limit))
        if fields is not None:
            query = query.select(list(fields))
        with google_call(f"firestore query {collection}"):
            rows = [(snap.id, _from_firestore(snap.to_dict() or {})) for snap in query.stream()]
        if fields is not None:
            return [(i, {k: v for k, v in d.items() if v is not None}) for i, d in rows]
        return rows

    def put_many(self, collection: str, docs: Mapping[str, Doc | Record]) -> None:
        plain = {i: d.to_doc() if isinstance(d, Record) else d for i, d in docs.items()}
        with google_call(f"firestore batch {collection}"):
            for chunk in _batches(list(plain.items())):
                batch = self.client.batch()
                for doc_id, doc in chunk:
                    self._add(batch, collection, doc_id, doc, create=False)
                batch.commit()

    def create_many(self, collection: str, docs: Mapping[str, Doc]) -> set[str]:
        """One atomic batch of creates per MAX_BATCH documents (or BATCH_BYTES). A batch fails
        whole when any of its documents exists (a concurrent claimant was first): that batch
        is then created document by document, ``CREATE_WORKERS`` requests in flight at a
        time. Callers that look first (``existing``/``get_many``) rarely pay for that."""
        from google.api_core.exceptions import AlreadyExists, Conflict

        created: set[str] = set()
        for chunk in _batches(list(docs.items())):
            batch = self.client.batch()
            for doc_id, doc in chunk:
                self._add(batch, collection, doc_id, doc, create=True)
            with google_call(f"firestore batch create {collection}"):
                try:
                    batch.commit()
                except (AlreadyExists, Conflict):
                    created.update(self._create_each(collection, chunk))
                    continue
            created.update(doc_id for doc_id, _ in chunk)
        return created

    def _add(self, batch: Any, collection: str, doc_id: str, doc: Doc, *, create: bool) -> None:
        """Add the set (or create) of one document to ``batch``, encoded by
        :mod:`common.adapters.firestore_writes` when its values are plain."""
        ref = self._ref(collection, doc_id)
        doc = _to_firestore(doc)
        pb = write_pb(ref._document_path, doc, exists=False if create else None)
        if pb is not None:
            batch._add_write_pbs([pb])  # what batch.set/create add, encoded faster
        elif create:
            batch.create(ref, doc)
        else:
            batch.set(ref, doc)

    def _create_each(self, collection: str, items: list[tuple[str, Doc]]) -> set[str]:
        from concurrent.futures import ThreadPoolExecutor

        if len(items) < 2:
            return {i for i, d in items if self.create(collection, i, d)}
        with ThreadPoolExecutor(max_workers=CREATE_WORKERS) as pool:
            done = pool.map(lambda item: self.create(collection, *item), items)
            return {doc_id for (doc_id, _), ok in zip(items, done, strict=True) if ok}
