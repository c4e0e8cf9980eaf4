"""Apify dataset export files (JSON array or JSONL) as a job source, streamed.

A JSON array is decoded one element at a time from a sliding text buffer with the standard
library's C decoder (``JSONDecoder.raw_decode``), so memory stays bounded by the largest item
rather than the file's size.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from common.errors import ValidationError
from common.jsonsafe import check_depth, too_deep

CHUNK = 1 << 16
#: the largest single item accepted (a broken file is not read into memory whole)
MAX_ITEM_CHARS = 64 << 20
_WS = " \t\r\n"
_AFTER_VALUE = _WS + ",]"
_decoder = json.JSONDecoder()


def _array_items(handle: IO[str], path: Path) -> Iterator[Any]:
    """The elements of the JSON array ``handle`` is positioned inside (after ``[``)."""
    buf, pos, eof, expect_item = "", 0, False, True
    first, chars = True, 1  # chars: characters of the file before ``buf``
    while True:
        while True:  # skip whitespace and one separator
            while pos < len(buf) and buf[pos] in _WS:
                pos += 1
            if pos < len(buf) or eof:
                break
            chars += len(buf)
            buf, pos = handle.read(CHUNK), 0
            eof = not buf
        if pos >= len(buf):
            raise ValidationError(f"{path}: not a valid JSON array (unexpected end of file)")
        char = buf[pos]
        if char == "]" and (first or not expect_item):
            return
        if not expect_item:
            if char != ",":
                raise ValidationError(f"{path}: not a valid JSON array (expected ',' or ']')")
            pos, expect_item = pos + 1, True
            continue
        while True:
            try:
                value, end = _decoder.raw_decode(buf, pos)
            except RecursionError:
                raise too_deep(f"{path}: item at character {chars + pos}") from None
            except ValueError as exc:
                if eof or len(buf) - pos > MAX_ITEM_CHARS:
                    raise ValidationError(
                        f"{path}: not a valid JSON array (item at character {chars + pos}: {exc})"
                    ) from exc
                more = handle.read(max(CHUNK, len(buf) - pos))
                chars += pos
                buf, pos, eof = buf[pos:] + more, 0, not more
                continue
            cut = end == len(buf) or buf[end] not in _AFTER_VALUE
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and cut and not eof and len(buf) - pos <= MAX_ITEM_CHARS:
                # "-4." of "-4.5e3" decodes as -4: a number may go on in the next chunk
                more = handle.read(CHUNK)
                chars += pos
                buf, pos, eof = buf[pos:] + more, 0, not more
                continue
            break
        yield check_depth(value, f"{path}: item at character {chars + pos}")
        pos, first, expect_item = end, False, False


def iter_dataset_file(path: str | Path) -> Iterator[Any]:
    """Yield the items of a dataset export: a JSON array, or one JSON value per line."""
    path = Path(path)
    try:
        handle = path.open("r", encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"{path}: cannot be read ({exc.strerror})") from exc
    with handle:
        try:
            head = handle.read(1)
            while head and head.isspace():
                head = handle.read(1)
            if head == "[":
                yield from _array_items(handle, path)
                return
            handle.seek(0)
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        value = json.loads(line)
                    except RecursionError:
                        raise too_deep(f"{path}:{number}") from None
                    except ValueError as exc:
                        raise ValidationError(
                            f"{path}:{number}: not valid JSON ({exc}); expected a JSON array "
                            "or JSON Lines (one item per line)"
                        ) from exc
                    yield check_depth(value, f"{path}:{number}")
        except UnicodeDecodeError as exc:
            raise ValidationError(f"{path}: not UTF-8 text ({exc.reason})") from exc
