"""Firestore write protobufs for plain documents, built without the client's per-value wrappers.

The Firestore client encodes a document value by value through proto-plus wrappers and a
field-path walk: about 1 ms of CPU for a job document, most of a batched write's cost. The
store's documents hold only JSON-like values (text, numbers, booleans, null, lists, maps with
text keys) and datetimes, which this module writes straight into the underlying protobuf
messages: the same ``Write`` message the client would send (``tests/unit/adapters`` compares
the two). A document holding anything else (a sentinel such as ``SERVER_TIMESTAMP``, a
``GeoPoint``, a reference) goes through the client's own encoder.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from common.ports import Doc


class _NotPlain(Exception):
    """A value this module does not encode (the client's encoder takes the document)."""


@cache
def _types() -> tuple[Any, Any, Any]:
    from google.cloud._helpers import _datetime_to_pb_timestamp
    from google.cloud.firestore_v1.types import write

    return write.Write, write.Write.pb(), _datetime_to_pb_timestamp


def _fill_fields(fields: Any, doc: dict[Any, Any]) -> None:
    """Write the entries of ``doc`` into the (empty) protobuf map ``fields``."""
    for key, item in doc.items():
        if type(key) is not str or not key:  # the client refuses empty names too
            raise _NotPlain(key)
        _fill(fields[key], item)


def _fill(target: Any, value: Any) -> None:
    """Write ``value`` into the (empty) protobuf ``Value`` ``target``: the common types by
    their exact type first, then the others in the client's order (bool before int, as an
    enum member or a datetime subclass)."""
    kind = type(value)
    if kind is str:
        target.string_value = value
    elif kind is dict:
        target.map_value.SetInParent()  # an empty map is still a map
        _fill_fields(target.map_value.fields, value)
    elif kind is list or kind is tuple:
        values = target.array_value.values
        target.array_value.SetInParent()
        for item in value:
            _fill(values.add(), item)
    elif value is None:
        target.null_value = 0
    elif isinstance(value, bool):
        target.boolean_value = value
    elif isinstance(value, int):
        target.integer_value = value
    elif isinstance(value, float):
        target.double_value = value
    elif isinstance(value, datetime):
        stamp = getattr(value, "timestamp_pb", None)  # DatetimeWithNanoseconds keeps its ns
        target.timestamp_value.CopyFrom(stamp() if stamp else _types()[2](value))
    elif isinstance(value, str):
        target.string_value = value
    else:
        raise _NotPlain(value)


def write_pb(document_path: str, doc: Doc, *, exists: bool | None = None) -> Any | None:
    """The ``Write`` replacing (``exists=None``) or creating (``exists=False``) the document
    at ``document_path`` with ``doc``; None when ``doc`` holds a value that is not plain."""
    wrapper, raw_class, _ = _types()
    raw = raw_class()
    raw.update.name = document_path
    try:
        _fill_fields(raw.update.fields, doc)
    except (_NotPlain, ValueError, TypeError):  # not plain, or an int beyond 64 bits
        return None
    if exists is not None:
        raw.current_document.exists = exists
    return wrapper.wrap(raw)
