"""Apify dataset exports as a job source, streamed (memory is bounded by the largest item,
not the file): a JSON array, JSON Lines, or CSV (Apify flattens nested fields into ``a/b``
columns, ``a/0`` for list elements; a spreadsheet re-export may add an index column). The
format is chosen by the content, never by the file name.

A JSON array is decoded one element at a time from a sliding text buffer with the standard
library's C decoder. Every JSON value read from a file passes through
:func:`decode_json_value`, the one place to guard decoding.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from itertools import chain
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
#: columns a spreadsheet adds to a re-export: an unnamed index ("", pandas' "Unnamed: 0")
_INDEX_COLUMN = re.compile(r"^(|unnamed: ?\d+)$", re.I)
_FIRST_INDEX_COLUMN = re.compile(r"^(index|#|no\.?|row)$", re.I)


def decode_json_value(text: str, pos: int, where: str) -> tuple[Any, int]:
    """The JSON value that starts at ``text[pos]`` and the index just after it (raises
    ValueError; ValidationError naming ``where`` when it nests too deep). Every value of a
    dataset file is decoded here, the one place for the depth guard."""
    try:
        value, end = _decoder.raw_decode(text, pos)
    except RecursionError:
        raise too_deep(where) from None
    return check_depth(value, where), end


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
                value, end = decode_json_value(buf, pos, f"{path}: item at character {chars + pos}")
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
        yield value
        pos, first, expect_item = end, False, False


def _json_lines(lines: Iterable[str], path: Path) -> Iterator[Any]:
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        try:
            value, end = decode_json_value(text, 0, f"{path}:{number}")
            if end != len(text):
                raise ValueError(f"extra data at column {end + 1}")
        except ValueError as exc:
            raise ValidationError(
                f"{path}:{number}: not valid JSON ({exc}); expected a JSON array or JSON Lines "
                "(one item per line)"
            ) from exc
        yield value


def _column_paths(header: list[str]) -> list[tuple[int, tuple[str, ...]]]:
    """Each kept column's position and path (``location/city`` -> ``("location", "city")``);
    index columns a spreadsheet added are left out."""
    columns = []
    for position, raw in enumerate(header):
        name = raw.strip()
        if _INDEX_COLUMN.match(name) or (position == 0 and _FIRST_INDEX_COLUMN.match(name)):
            continue
        columns.append((position, tuple(name.split("/"))))
    return columns


def _listify(value: Any) -> Any:
    """Objects whose keys are all list positions ("0", "1"...) become lists, in order."""
    if not isinstance(value, dict):
        return value
    if value and all(k.isdigit() for k in value):
        return [_listify(value[k]) for k in sorted(value, key=int)]
    return {k: _listify(v) for k, v in value.items()}


def unflatten(columns: list[tuple[int, tuple[str, ...]]], row: list[Any]) -> dict[str, Any]:
    """One item from a flattened row: nested paths rebuilt, empty nested cells left out (a
    top-level column is always kept, so the item shows every field its export had)."""
    item: dict[str, Any] = {}
    for position, path in columns:
        value = row[position] if position < len(row) else ""
        if len(path) == 1:
            item.setdefault(path[0], value)
            continue
        node = item.setdefault(path[0], {})
        if not isinstance(node, dict):
            continue  # "a" and "a/b" both present: keep the plain value
        if value == "" or value is None:
            continue
        for key in path[1:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                break
        else:
            node.setdefault(path[-1], value)
    return {k: _listify(v) for k, v in item.items()}


def _csv_items(handle: IO[str], path: Path) -> Iterator[dict[str, Any]]:
    first = handle.readline()
    delimiter = max(",;\t", key=first.count)
    csv.field_size_limit(MAX_ITEM_CHARS)
    reader = csv.reader(chain([first], handle), delimiter=delimiter, strict=True)
    try:
        header = next(reader, [])
        if len(header) < 2 or "\x00" in first:
            raise ValidationError(
                f"{path}: not valid JSON, and not CSV with a header row of columns; expected "
                "a JSON array, JSON Lines (one item per line) or a CSV export"
            )
        columns = _column_paths(header)
        rows = 0
        for row in reader:
            if any(cell.strip() for cell in row):
                rows += 1
                yield unflatten(columns, row)
        if not rows:
            raise ValidationError(
                f"{path}: not valid JSON, and as CSV a header row with no items; expected a "
                "JSON array, JSON Lines (one item per line) or a CSV export"
            )
    except csv.Error as exc:
        raise ValidationError(f"{path}:{reader.line_num}: not valid CSV ({exc})") from exc


def iter_dataset_file(path: str | Path) -> Iterator[Any]:
    """Yield the items of a dataset export: a JSON array, JSON Lines or CSV."""
    path = Path(path)
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
        with path.open("rb") as raw:
            magic = raw.read(4)
    except OSError as exc:
        raise ValidationError(f"{path}: cannot be read ({exc.strerror})") from exc
    if magic == b"PK\x03\x04":  # a ZIP container: XLSX, ODS
        handle.close()
        raise ValidationError(
            f"{path}: a spreadsheet file (XLSX/ODS); save it as CSV (UTF-8), or export the "
            "dataset from Apify as JSON or CSV"
        )
    with handle:
        try:
            head = handle.read(1)
            while head and head.isspace():
                head = handle.read(1)
            if head == "[":
                yield from _array_items(handle, path)
            elif head == "{":
                handle.seek(0)
                yield from _json_lines(handle, path)
            elif head:
                handle.seek(0)
                yield from _csv_items(handle, path)
        except UnicodeDecodeError as exc:
            raise ValidationError(f"{path}: not UTF-8 text ({exc.reason})") from exc
