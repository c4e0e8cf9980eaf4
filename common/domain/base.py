"""The base model every stored record shares."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticSerializationError

_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact_json(doc: Any) -> str:
    """``doc`` as the stores write JSON text: no spaces, non-ASCII characters kept."""
    return _ENCODER.encode(doc)


def _same_in_both(value: Any) -> bool:
    """Whether pydantic writes ``value`` (and all it holds) as :func:`compact_json` does:
    not floats below 1e-4 or from 1e16 (``1e-05`` is ``0.00001`` there), nor infinities."""
    if isinstance(value, float):
        return value == 0 or 1e-4 <= abs(value) < 1e16
    if isinstance(value, BaseModel):
        value = value.__dict__
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list | tuple):
        return True
    # a loop, not all() over a generator: a job holds about 35 values (16 -> 11 us a job)
    for v in value:  # noqa: SIM110
        if type(v) not in _PLAIN and not _same_in_both(v):
            return False
    return True


#: types written alike by both encoders, checked without a call
_PLAIN = frozenset({str, int, bool, type(None), date, datetime})


class Record(BaseModel):
    """A pydantic model that round-trips through the document store as JSON."""

    model_config = ConfigDict(extra="ignore", validate_assignment=False)

    def to_doc(self) -> dict[str, Any]:
        """The JSON-compatible dict the store keeps."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        """``compact_json(self.to_doc())``, encoded by pydantic in one step when it gives the
        same text (several times faster for a job)."""
        if _same_in_both(self):
            try:
                return self.model_dump_json()
            except PydanticSerializationError:  # a lone surrogate: json escapes it
                pass
        return compact_json(self.to_doc())

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Rebuild the record from a stored document."""
        return cls.model_validate(doc)
