"""Apify dataset export files (JSON array or JSONL) as a job source."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common.errors import ValidationError


def iter_dataset_file(path: str | Path) -> Iterator[Any]:
    """Yield the items of a dataset export: a JSON array, or one JSON value per line."""
    path = Path(path)
    try:
        handle = path.open("r", encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"{path}: cannot be read ({exc.strerror})") from exc
    with handle:
        head = handle.read(1)
        while head and head.isspace():
            head = handle.read(1)
        if head == "[":
            handle.seek(0)
            try:
                items = json.load(handle)
            except ValueError as exc:
                raise ValidationError(f"{path}: not a valid JSON array ({exc})") from exc
            yield from items
            return
        handle.seek(0)
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise ValidationError(f"{path}:{number}: not valid JSON ({exc})") from exc
