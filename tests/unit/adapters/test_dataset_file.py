"""Dataset exports are streamed: JSON arrays element by element, JSONL line by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.adapters import dataset_file
from common.adapters.dataset_file import iter_dataset_file
from common.errors import ValidationError

VALUES = [
    [],
    [1, 22, 333333, -4.5e3, True, None, 'a,]b"c', {"x": [1, {"y": "]"}]}, []],
    [{"k": "v" * 300, "n": i} for i in range(20)],
]


@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("chunk", [1, 7, 1 << 16])
def test_array_in_any_chunking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, values: list, chunk: int
) -> None:
    monkeypatch.setattr(dataset_file, "CHUNK", chunk)
    path = tmp_path / "items.json"
    path.write_text("  \n" + json.dumps(values, indent=1), encoding="utf-8")
    assert list(iter_dataset_file(path)) == values


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text('{"a": 1}\n\n{"b": [2]}\n', encoding="utf-8")
    assert list(iter_dataset_file(path)) == [{"a": 1}, {"b": [2]}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1,2", "unexpected end of file"),
        ("[1 2]", "expected ',' or ']'"),
        ("[1,]", "item at character 3"),
        ('[{"a":1},\n {]', "item at character 11"),
        ('{"a":1}\nnot json\n', ":2: not valid JSON"),
    ],
)
def test_broken_files_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        list(iter_dataset_file(path))


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot be read"):
        list(iter_dataset_file(tmp_path / "nope.json"))
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"[\xff\xfe]")
    with pytest.raises(ValidationError, match="not UTF-8"):
        list(iter_dataset_file(binary))


def test_array_is_not_loaded_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the first item of a large array reads only about one chunk of the file."""
    monkeypatch.setattr(dataset_file, "CHUNK", 4096)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"n": i, "pad": "x" * 100} for i in range(5000)]))
    with path.open(encoding="utf-8") as handle:
        handle.read(1)
        first = next(dataset_file._array_items(handle, path))
        assert first["n"] == 0 and handle.tell() <= 3 * 4096
