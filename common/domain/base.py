"""The base model every stored record shares."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """A pydantic model that round-trips through the document store as JSON."""

    model_config = ConfigDict(extra="ignore", validate_assignment=False)

    def to_doc(self) -> dict[str, Any]:
        """The JSON-compatible dict the store keeps."""
        return self.model_dump(mode="json")

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Rebuild the record from a stored document."""
        return cls.model_validate(doc)
